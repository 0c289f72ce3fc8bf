using Deskbridge.Accounts;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.EventLog;

/// <summary>O1: every event's fate, by event, thread or session — "why didn't the AI reply?".</summary>
public static class EventLogEndpoints
{
    public static RouteGroupBuilder MapEventLogEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{organizationId:guid}").WithTags("Event log").RequireAdminAccess();
        group.MapGet("/events", SearchAsync);
        group.MapGet("/events/{id:long}", GetAsync);
        group.MapPost("/events/{id:long}/retry", RetryAsync);
        group.MapPost("/events/retry", RetryMatchingAsync);
        group.MapGet("/sessions/{sessionId:guid}", GetSessionAsync);
        return group;
    }

    public sealed record EventView(
        long Id, string? EventId, string SubscriptionType, string ObjectId, string? MessageId, string? ThreadId, Guid? SessionId,
        string Status, string? Fate, string? Reason, string? LastError, int ProcessingAttempts, int AttemptNumber,
        DateTimeOffset ReceivedAt, DateTimeOffset? CompletedAt, DateTimeOffset? NextAttemptAt, string DedupKey, Guid BatchId, long? OccurredAt = null,
        string? SkipCode = null);

    public sealed record TranscriptLine(string Speaker, string Text, DateTimeOffset At, string HubSpotMessageId);

    public sealed record SessionView(
        Guid Id, string ThreadId, string State, string? HandoffReason, string? ChannelId, string? ContactId, string? TicketId,
        string? CustomerEmail, string CustomData, IReadOnlyList<TranscriptLine> Transcript, IReadOnlyList<EventView> Events);

    private static async Task<Ok<List<EventView>>> SearchAsync(
        Guid organizationId, string? eventId, string? threadId, Guid? sessionId, string? fate, int? limit, EventSearch search, CancellationToken ct)
    {
        var rows = await search.FindAsync(organizationId, new EventSearch.Query(eventId, threadId, sessionId, fate), limit ?? 100, ct);
        return TypedResults.Ok(rows.Select(View).ToList());
    }

    private static async Task<Results<Ok<EventView>, NotFound>> GetAsync(Guid organizationId, long id, EventSearch search, CancellationToken ct) =>
        await search.GetAsync(organizationId, id, ct) is { } row ? TypedResults.Ok(View(row)) : TypedResults.NotFound();

    /// <summary>A failed event goes back into the inbox, with a fresh retry budget.</summary>
    private static async Task<Results<Ok<EventView>, NotFound, ProblemHttpResult>> RetryAsync(
        Guid organizationId, long id, EventRetry retry, CancellationToken ct)
    {
        var result = await retry.RetryAsync(organizationId, id, ct);
        return result switch
        {
            { Outcome: EventRetry.Outcome.Requeued, Event: { } row } => TypedResults.Ok(View(row)),
            { Outcome: EventRetry.Outcome.NotFailed, Event: { } row } => TypedResults.Problem(title: "Only failed events can be retried",
                detail: $"Event {id} is {(row.Status == EventStatus.Pending ? "still pending" : row.Fate?.ToString().ToLowerInvariant())}.",
                statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.NotFound(),
        };
    }

    public sealed record RetryMatchingRequest(string? Reason, DateTimeOffset? From, DateTimeOffset? To);

    public sealed record RetryMatchingResponse(int Requeued, bool MoreLeft);

    /// <summary>Failed events by reason (a part of it, any case) and time received (from/to, inclusive) go back into the inbox.</summary>
    private static async Task<Results<Ok<RetryMatchingResponse>, ValidationProblem>> RetryMatchingAsync(
        Guid organizationId, RetryMatchingRequest request, FailedEventRetry retry, CancellationToken ct)
    {
        var filter = new FailedEventRetry.Filter(request.Reason, request.From, request.To);
        var problems = FailedEventRetry.Validate(filter);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems, title: "Nothing retried");
        }
        var result = await retry.RetryAsync(organizationId, filter, ct);
        return TypedResults.Ok(new RetryMatchingResponse(result.Requeued, result.MoreLeft));
    }

    private static async Task<Results<Ok<SessionView>, NotFound>> GetSessionAsync(Guid organizationId, Guid sessionId, DeskbridgeDb db, CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.OrganizationId == organizationId && s.Id == sessionId, ct);
        if (session is null)
        {
            return TypedResults.NotFound();
        }
        var transcript = await db.SessionMessages.AsNoTracking().Where(m => m.SessionId == sessionId).OrderBy(m => m.Id)
            .Select(m => new TranscriptLine(m.Speaker.ToString(), m.Text, m.At, m.HubSpotMessageId)).ToListAsync(ct);
        var events = await db.InboxEvents.AsNoTracking()
            .Where(e => e.OrganizationId == organizationId && (e.SessionId == sessionId || e.ThreadId == session.ThreadId))
            .OrderBy(e => e.Id).ToListAsync(ct);
        return TypedResults.Ok(new SessionView(session.Id, session.ThreadId, session.State.ToString(), session.HandoffReason, session.ChannelId,
            session.ContactId, session.TicketId, session.CustomerEmail, session.CustomData, transcript, events.Select(View).ToList()));
    }

    private static EventView View(InboxEvent e) => new(
        e.Id, e.EventId, e.SubscriptionType, e.ObjectId, e.MessageId, e.ThreadId, e.SessionId,
        e.Status.ToString(), e.Fate?.ToString(), e.Reason, e.LastError, e.ProcessingAttempts, e.AttemptNumber,
        e.ReceivedAt, e.CompletedAt, e.NextAttemptAt, e.DedupKey, e.BatchId, e.OccurredAt, e.SkipCode);
}
