using Deskbridge.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Deskbridge.ConversationsList;

/// <summary>I1: <c>GET /api/organizations/{id}/conversations</c>, the conversations list with its filters and cursor paging.</summary>
public static class ConversationListEndpoints
{
    public static RouteGroupBuilder MapConversationListEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{organizationId:guid}").WithTags("Conversations").RequireAdminAccess();
        group.MapGet("/conversations", ListAsync);
        return group;
    }

    public sealed record ConversationView(
        Guid Id, string ThreadId, string Status, string? Channel, string? Language, string? CustomerEmail, string? ContactId, string? Subject,
        int CustomerMessages, int AiReplies, DateTimeOffset? StartedAt, DateTimeOffset? FirstAiReplyAt, DateTimeOffset? HandedOffAt,
        string? HandoffTrigger, string? HandoffReason, DateTimeOffset? HumanTakeoverAt, DateTimeOffset LastActivityAt);

    /// <param name="Next">Pass as <c>cursor</c> for the page after (older activity); null on the last page.</param>
    /// <param name="Previous">Pass as <c>cursor</c> for the page before (newer activity); null on the first page.</param>
    public sealed record ConversationListView(IReadOnlyList<ConversationView> Conversations, string? Next, string? Previous);

    private static async Task<Results<Ok<ConversationListView>, ValidationProblem>> ListAsync(
        Guid organizationId, string? status, string? channel, string? from, string? to, string? customer, string? language,
        string? trigger, string? reason, string? q, string? cursor, string? limit, ConversationList list, CancellationToken ct)
    {
        // limit is read as text: a non-number then gets the same ProblemDetails as every other bad filter.
        int? parsedLimit = null;
        if (!string.IsNullOrWhiteSpace(limit))
        {
            if (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit is a number from 1 to {ConversationFilter.MaxLimit}."] },
                    title: "The conversations filter is not valid");
            }
            parsedLimit = value;
        }
        var (filter, problems) = ConversationFilter.Parse(new ConversationQuery(status, channel, from, to, customer, language, trigger, reason, q, cursor, parsedLimit));
        if (filter is null)
        {
            return TypedResults.ValidationProblem(problems, title: "The conversations filter is not valid");
        }
        var page = await list.ListAsync(organizationId, filter, ct);
        return TypedResults.Ok(new ConversationListView(page.Rows.Select(View).ToList(), page.Next?.Encode(), page.Previous?.Encode()));
    }

    public static ConversationView View(ConversationRow r) => new(
        r.Id, r.ThreadId, r.Status.ToString(), r.Channel, r.Language, r.CustomerEmail, r.ContactId, r.Subject, r.CustomerMessages, r.AiReplies,
        Time(r.FirstCustomerMessageAt), Time(r.FirstAiReplyAt), Time(r.HandedOffAt), r.HandoffTrigger, r.HandoffReason, Time(r.HumanTakeoverAt),
        DateTimeOffset.FromUnixTimeMilliseconds(r.LastActivityAt));

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
