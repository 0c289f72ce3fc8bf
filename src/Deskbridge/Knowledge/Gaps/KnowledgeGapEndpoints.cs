using Deskbridge.Accounts;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Knowledge.Gaps;

/// <summary>I3: the knowledge gaps of an organization, as JSON. A GET: members read it (S1); nothing changes.</summary>
public static class KnowledgeGapEndpoints
{
    public static WebApplicationBuilder AddKnowledgeGaps(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KnowledgeGapOptions>().BindConfiguration(KnowledgeGapOptions.SectionName)
            .Validate(o => o.EmbeddingThreshold is > 0 and <= 1 && o.TermThreshold is > 0 and <= 1, "KnowledgeGaps thresholds are cosines in (0, 1].")
            .Validate(o => o.MaxQuestions > 0 && o.ExamplesPerGroup > 0, "KnowledgeGaps:MaxQuestions and ExamplesPerGroup must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<KnowledgeGapRecorder>();
        builder.Services.AddScoped<KnowledgeGapReport>();
        return builder;
    }

    public static RouteGroupBuilder MapKnowledgeGaps(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{organizationId:guid}").WithTags("Knowledge gaps").RequireAdminAccess();
        group.MapGet("/knowledge-gaps", GetAsync);
        return group;
    }

    /// <summary><c>?from=2026-11-01&amp;to=2026-12-01</c> ([from, to), UTC; default the last 30 days).</summary>
    private static async Task<Results<Ok<GapReport>, ValidationProblem, NotFound>> GetAsync(
        Guid organizationId, [FromQuery] string? from, [FromQuery] string? to, DeskbridgeDb db, KnowledgeGapReport report, TimeProvider time, CancellationToken ct)
    {
        var (period, problems) = GapPeriodInput.Parse(from, to, time.GetUtcNow());
        if (period is null)
        {
            return TypedResults.ValidationProblem(problems, title: "No knowledge gaps read");
        }
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(await report.BuildAsync(organizationId, period, ct));
    }
}
