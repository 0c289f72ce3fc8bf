using Deskbridge.Accounts;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Playground;

/// <summary>
/// The playground's API. Trying a message and running the suite change nothing, so they are GETs any member may call
/// (S1: reading needs any role); saving and deleting cases need owner or admin, like every other change.
/// </summary>
public static class PlaygroundEndpoints
{
    public static WebApplicationBuilder AddPlayground(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<PlaygroundEvaluation>();
        builder.Services.AddScoped<PlaygroundCases>();
        return builder;
    }

    public static RouteGroupBuilder MapPlayground(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{organizationId:guid}/playground").WithTags("Playground").RequireAdminAccess();
        group.MapGet("/evaluate", EvaluateAsync);
        group.MapGet("/cases", ListAsync);
        group.MapPost("/cases", SaveAsync);
        group.MapDelete("/cases/{caseId:guid}", DeleteAsync);
        group.MapGet("/suite", RunAsync);
        return group;
    }

    /// <summary>
    /// What the agent would do: <c>?channel=chat&amp;text=…&amp;language=de</c>, earlier lines as repeated
    /// <c>earlier=customer:…</c> / <c>earlier=ai:…</c>, oldest first.
    /// </summary>
    private static async Task<Results<Ok<PlaygroundOutcome>, ValidationProblem, NotFound>> EvaluateAsync(
        Guid organizationId, [FromQuery] string? channel, [FromQuery] string? text, [FromQuery] string? language, [FromQuery] string[]? earlier,
        PlaygroundEvaluation evaluation, CancellationToken ct)
    {
        var input = new PlaygroundInput(channel, text, string.IsNullOrWhiteSpace(language) ? null : language.Trim(), ParseEarlier(earlier));
        if (input.Problems() is { Count: > 0 } problems)
        {
            return TypedResults.ValidationProblem(problems, title: "The message was not tried");
        }

        return await evaluation.EvaluateAsync(organizationId, input, ct) is { } outcome ? TypedResults.Ok(outcome) : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<List<PlaygroundCaseView>>, NotFound>> ListAsync(Guid organizationId, DeskbridgeDb db, PlaygroundCases cases, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok((await cases.ListAsync(organizationId, ct)).Select(PlaygroundEvaluation.View).ToList());
    }

    private static async Task<Results<Created<PlaygroundCaseView>, ValidationProblem, NotFound>> SaveAsync(
        Guid organizationId, PlaygroundCaseForm form, DeskbridgeDb db, PlaygroundCases cases, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct))
        {
            return TypedResults.NotFound();
        }

        var (saved, problems) = await cases.SaveAsync(organizationId, form, ct);
        return saved is null
            ? TypedResults.ValidationProblem(problems, title: "The case was not saved")
            : TypedResults.Created($"/api/organizations/{organizationId}/playground/cases/{saved.Id}", PlaygroundEvaluation.View(saved));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid organizationId, Guid caseId, PlaygroundCases cases, CancellationToken ct) =>
        await cases.DeleteAsync(organizationId, caseId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Ok<PlaygroundSuiteResult>, NotFound>> RunAsync(Guid organizationId, PlaygroundCases cases, CancellationToken ct) =>
        await cases.RunAsync(organizationId, ct) is { } result ? TypedResults.Ok(result) : TypedResults.NotFound();

    /// <summary>"customer:text" or "ai:text"; anything else becomes a line the validation refuses.</summary>
    public static List<PlaygroundLine>? ParseEarlier(IEnumerable<string>? lines)
    {
        var parsed = lines?.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l =>
        {
            var colon = l.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? new PlaygroundLine("", l) : new PlaygroundLine(l[..colon].Trim().ToLowerInvariant(), l[(colon + 1)..].Trim());
        }).ToList();
        return parsed is { Count: > 0 } ? parsed : null;
    }
}
