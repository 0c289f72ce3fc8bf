using Deskbridge.Admin;
using Deskbridge.Conversations;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Handoff;

/// <summary>H3: an organization's routing rules, read and replaced as one ordered list.</summary>
public static class RoutingRuleEndpoints
{
    public static RouteGroupBuilder MapRoutingRuleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{id:guid}/routing-rules").WithTags("Routing rules").RequireAdminAccess();
        group.MapGet("/", GetAsync);
        group.MapPut("/", ReplaceAsync);
        return group;
    }

    /// <param name="Keywords">Any one of them in the customer's words matches; empty: no keyword condition.</param>
    /// <param name="AssignToUserId">HubSpot user id (a plain number, no "A-").</param>
    public sealed record RoutingRuleInput(string? Channel, string? Language, IReadOnlyList<string>? Keywords, long? AssignToUserId);

    public sealed record RoutingRuleView(int Position, string? Channel, string? Language, IReadOnlyList<string> Keywords, long AssignToUserId);

    private static async Task<Results<Ok<List<RoutingRuleView>>, NotFound>> GetAsync(Guid id, DeskbridgeDb db, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var rules = await db.RoutingRules.AsNoTracking().Where(r => r.OrganizationId == id).OrderBy(r => r.Position).ToListAsync(ct);
        return TypedResults.Ok(rules.Select(View).ToList());
    }

    private static async Task<Results<Ok<List<RoutingRuleView>>, ValidationProblem, NotFound>> ReplaceAsync(
        Guid id, IReadOnlyList<RoutingRuleInput>? body, DeskbridgeDb db, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var inputs = body ?? [];
        var errors = Validate(inputs);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The routing rules were not saved");
        }

        var rules = inputs.Select((input, position) => new RoutingRule
        {
            OrganizationId = id,
            Position = position,
            Channel = Blank(input.Channel)?.ToLowerInvariant(),
            Language = Blank(input.Language)?.ToLowerInvariant(),
            Keywords = string.Join(',', (input.Keywords ?? []).Select(k => k.Trim()).Where(k => k.Length > 0)),
            AssignToUserId = input.AssignToUserId!.Value,
        }).ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.RoutingRules.Where(r => r.OrganizationId == id).ExecuteDeleteAsync(ct);
        db.RoutingRules.AddRange(rules);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(rules.Select(View).ToList());
    }

    private static Dictionary<string, string[]> Validate(IReadOnlyList<RoutingRuleInput> inputs)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var problems = new List<string>();
            if (input.AssignToUserId is not > 0)
            {
                problems.Add("assignToUserId: give the HubSpot user id as a plain number (without \"A-\").");
            }
            if (Blank(input.Channel) is { } channel && !HubSpotChannels.KnownNames.Contains(channel, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"channel: unknown channel '{channel}'. Known: {string.Join(", ", HubSpotChannels.KnownNames)}.");
            }
            if (Blank(input.Language) is { } language && (language.Length != 2 || !language.All(char.IsAsciiLetter)))
            {
                problems.Add($"language: '{language}' is not a two-letter ISO 639-1 code (e.g. en, de).");
            }
            if (input.Keywords?.Any(k => k.Contains(',', StringComparison.Ordinal)) == true)
            {
                problems.Add("keywords: give each keyword as its own list item; a keyword cannot contain a comma.");
            }
            if (problems.Count > 0)
            {
                errors[$"rules[{i}]"] = [.. problems];
            }
        }
        return errors;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static RoutingRuleView View(RoutingRule r) => new(r.Position, r.Channel, r.Language, r.KeywordList, r.AssignToUserId);
}
