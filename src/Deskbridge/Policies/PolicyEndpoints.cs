using System.Security.Claims;
using Deskbridge.Accounts;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Policies;

/// <summary>G1/G2: an organization's send policy (one ordered list) and its drafts, with approval from outside HubSpot.</summary>
public static class PolicyEndpoints
{
    public static RouteGroupBuilder MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{id:guid}").WithTags("Send policy").RequireAdminAccess();
        group.MapGet("/send-policy", GetRulesAsync);
        group.MapPut("/send-policy", ReplaceRulesAsync);
        group.MapGet("/drafts", ListDraftsAsync);
        group.MapPost("/drafts/{draftId:long}/send", SendAsync);
        group.MapPost("/drafts/{draftId:long}/discard", DiscardAsync);
        return group;
    }

    public sealed record RuleView(long Id, int Position, string Action, string? Channel, string? Sender, double? ConfidenceBelow, double? ConfidenceAtLeast,
        string? Intent, string? Language, string? Hours, string Description);

    public sealed record DraftView(long Id, string ThreadId, Guid SessionId, string ForMessageId, string? DraftMessageId, string State, string Text,
        double Confidence, string Decision, DateTimeOffset CreatedAt, string? DecidedBy, string? DecidedVia, DateTimeOffset? DecidedAt,
        string? SentText, string? SentMessageId, bool Edited, string? Note);

    /// <param name="Text">Send this instead of the draft (an edit); empty: the draft as it is.</param>
    public sealed record SendDraftRequest(string? Text);

    public sealed record DecisionView(bool Sent, string Result, DraftView Draft);

    private static async Task<Results<Ok<List<RuleView>>, NotFound>> GetRulesAsync(Guid id, DeskbridgeDb db, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var rules = await db.SendPolicyRules.AsNoTracking().Where(r => r.OrganizationId == id).OrderBy(r => r.Position).ToListAsync(ct);
        return TypedResults.Ok(rules.Select(View).ToList());
    }

    private static async Task<Results<Ok<List<RuleView>>, ValidationProblem, NotFound>> ReplaceRulesAsync(
        Guid id, IReadOnlyList<SendPolicyRuleInput>? body, DeskbridgeDb db, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var inputs = body ?? [];
        var errors = SendPolicyRuleSet.Validate(inputs);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(e => $"rules[{e.Key}]", e => e.Value), title: "The send policy was not saved");
        }
        var rules = await SendPolicyRuleSet.ReplaceAsync(db, id, inputs, ct);
        return TypedResults.Ok(rules.Select(View).ToList());
    }

    private static async Task<Results<Ok<List<DraftView>>, ValidationProblem>> ListDraftsAsync(Guid id, string? state, DraftService drafts, CancellationToken ct)
    {
        DraftState? wanted = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (!Enum.TryParse<DraftState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, out _))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["state"] = [$"'{state}' is not a draft state; use one of {string.Join(", ", Enum.GetNames<DraftState>()).ToLowerInvariant()}."],
                });
            }
            wanted = parsed;
        }
        return TypedResults.Ok((await drafts.ListAsync(id, wanted, 500, ct)).Select(View).ToList());
    }

    private static Task<Results<Ok<DecisionView>, ProblemHttpResult, NotFound>> SendAsync(
        Guid id, long draftId, SendDraftRequest? body, DraftService drafts, ClaimsPrincipal user, CancellationToken ct) =>
        DecideAsync(id, draftId, new DraftCommand(true, string.IsNullOrWhiteSpace(body?.Text) ? null : body.Text.Trim()), drafts, user, ct);

    private static Task<Results<Ok<DecisionView>, ProblemHttpResult, NotFound>> DiscardAsync(
        Guid id, long draftId, DraftService drafts, ClaimsPrincipal user, CancellationToken ct) =>
        DecideAsync(id, draftId, new DraftCommand(false, null), drafts, user, ct);

    private static async Task<Results<Ok<DecisionView>, ProblemHttpResult, NotFound>> DecideAsync(
        Guid id, long draftId, DraftCommand command, DraftService drafts, ClaimsPrincipal user, CancellationToken ct)
    {
        if (command.EditedText?.Length > 10_000)
        {
            return TypedResults.Problem(title: "The draft was not sent", detail: "text: at most 10000 characters.", statusCode: StatusCodes.Status400BadRequest);
        }
        var result = await drafts.DecideFromDashboardAsync(id, draftId, command, Who(user), ct);
        if (result?.Draft is not { } draft)
        {
            return TypedResults.NotFound();
        }
        var done = result.Sent || (!command.Send && draft.State == DraftState.Discarded && result.Sentence.StartsWith("discarded", StringComparison.Ordinal));
        return done
            ? TypedResults.Ok(new DecisionView(result.Sent, result.Sentence, View(draft)))
            : TypedResults.Problem(title: command.Send ? "The draft was not sent" : "The draft was not discarded", detail: result.Sentence,
                statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["state"] = draft.State.ToString().ToLowerInvariant() });
    }

    /// <summary>Who approved from outside HubSpot: the signed-in person's email, or which key.</summary>
    public static string Who(ClaimsPrincipal user) =>
        user.Identity?.Name is { Length: > 0 } name ? name : OrganizationAccess.IsOperator(user) ? "operator key" : "API key";

    private static RuleView View(SendPolicyRule r) => new(r.Id, r.Position, SendPolicyRuleSet.ActionValue(r.Action), r.Channel, r.Sender,
        r.ConfidenceBelow, r.ConfidenceAtLeast, r.Intent, r.Language, r.Hours?.ToString().ToLowerInvariant(), r.Describe());

    public static DraftView View(AnswerDraft d) => new(d.Id, d.ThreadId, d.SessionId, d.ForMessageId, d.DraftMessageId, d.State.ToString().ToLowerInvariant(),
        d.Text, d.Confidence, d.Decision, d.CreatedAt, d.DecidedBy, d.DecidedVia, d.DecidedAt, d.SentText, d.SentMessageId, d.Edited, d.Note);
}
