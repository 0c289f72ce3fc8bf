using Deskbridge.Accounts;
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
        var errors = RoutingRuleSet.Validate(inputs);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(e => $"rules[{e.Key}]", e => e.Value), title: "The routing rules were not saved");
        }

        var rules = await RoutingRuleSet.ReplaceAsync(db, id, inputs, ct);
        return TypedResults.Ok(rules.Select(View).ToList());
    }

    private static RoutingRuleView View(RoutingRule r) => new(r.Position, r.Channel, r.Language, r.KeywordList, r.AssignToUserId);
}
