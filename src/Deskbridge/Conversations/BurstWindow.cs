using Deskbridge.Agent;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Conversations;

/// <summary>
/// G3: customers write in bursts ("hi" — "my order" — "it has not arrived"). The first message of a burst waits the
/// window (chat: <see cref="ProcessingOptions.ChatBurstWindow"/> or the organization's; email: the C3 delay), then every
/// customer message of the thread that arrived within the window after it joins the transcript and the AI answers them
/// all once. The window runs from the first message, so a lone message waits the window and no longer; a message after
/// the window starts a burst of its own. The others' events get their fate from this one: answered together with it.
/// </summary>
public sealed class BurstWindow(DeskbridgeDb db, HubSpotClient hubSpot, SessionStore sessions, Telemetry.DeskbridgeMetrics metrics, TimeProvider time)
{
    /// <summary>A customer message whose answer is the burst's answer.</summary>
    public sealed record Follower(long EventId, string MessageId);

    /// <summary>Chat and the other typed channels wait here; email already waits the C3 delay, which is its window.</summary>
    public EventOutcome.Deferred? Wait(string channel, InboxEvent inboxEvent, TimeSpan window, Guid? sessionId)
    {
        var due = inboxEvent.ReceivedAt + window;
        return channel != "email" && window > TimeSpan.Zero && time.GetUtcNow() < due
            ? new EventOutcome.Deferred(due, $"Waiting until {due:O} for the customer's next lines, so that a burst gets one answer (G3, window {window.TotalSeconds:0.###} s).", sessionId)
            : null;
    }

    /// <summary>
    /// The thread's later customer messages that arrived within the window, read back and added to the transcript in
    /// order. It stops at the first message that is not the customer's (a human's reply, a bot): what follows that
    /// answers something else and is handled on its own. Comments between them are left to their own events.
    /// </summary>
    public async Task<IReadOnlyList<Follower>> CollectAsync(ProcessingContext context, Session session, InboxEvent first, TimeSpan window, CancellationToken ct)
    {
        if (window <= TimeSpan.Zero)
        {
            return [];
        }
        var until = first.ReceivedAt + window;
        // SQLite cannot compare DateTimeOffset values in SQL: the thread's few pending events are compared here.
        var pending = await db.InboxEvents.AsNoTracking()
            .Where(e => e.OrganizationId == first.OrganizationId && e.ThreadId == first.ThreadId && e.Id != first.Id
                && e.Status == EventStatus.Pending && e.SubscriptionType == ConversationMessageHandler.Type)
            .Select(e => new { e.Id, e.MessageId, e.MessageType, e.ReceivedAt, e.OccurredAt })
            .ToListAsync(ct);

        var order = (first.OccurredAt ?? long.MaxValue, first.Id);
        var candidates = pending
            .Where(e => (e.OccurredAt ?? long.MaxValue, e.Id).CompareTo(order) > 0 && e.ReceivedAt <= until
                && e.MessageType != "COMMENT" && e.MessageId is not null)
            .ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        // The order is HubSpot's, as its thread shows it: lines typed within one millisecond share an occurredAt, and
        // webhooks sent at once arrive in any order, so neither the inbox's order nor the timestamps can tell them apart.
        // One page of the thread (newest first) also carries the messages, so most need no call of their own.
        var page = (await hubSpot.ListMessagesAsync(context.Portal, first.ObjectId, MessageOrder.NewestFirst, null, ct)).Value?.Results ?? [];
        var position = page.Select((m, i) => (m.Id, Index: page.Count - i)).ToDictionary(p => p.Id, p => p.Index);
        var listed = page.ToDictionary(m => m.Id);
        var followers = new List<Follower>();
        foreach (var candidate in candidates.OrderBy(e => position.GetValueOrDefault(e.MessageId!, int.MaxValue)).ThenBy(e => (e.OccurredAt ?? long.MaxValue, e.Id)))
        {
            var messageId = candidate.MessageId!;
            var message = listed.GetValueOrDefault(messageId) ?? (await hubSpot.GetMessageAsync(context.Portal, first.ObjectId, messageId, ct)).Value;
            if (message is null
                || ConversationMessageHandler.Skip(message, context, out _, out _, out _)
                || MachineSenders.EmailReason(message) is not null)
            {
                break;
            }
            await sessions.AddEntryAsync(session, message.Id, Speaker.Customer, ConversationMessageHandler.Said(message), message.CreatedAt ?? time.GetUtcNow(), ct);
            followers.Add(new Follower(candidate.Id, message.Id));
        }
        return followers;
    }

    /// <summary>The followers' fates, once the burst's answer (or handoff, or draft) is done.</summary>
    public async Task FinishAsync(IReadOnlyList<Follower> followers, string firstMessageId, string what, Guid sessionId, CancellationToken ct)
    {
        if (followers.Count == 0)
        {
            return;
        }
        var ids = followers.Select(f => f.EventId).ToList();
        var rows = await db.InboxEvents.Where(e => ids.Contains(e.Id) && e.Status == EventStatus.Pending).ToListAsync(ct);
        var now = time.GetUtcNow();
        foreach (var row in rows)
        {
            row.Status = EventStatus.Done;
            row.Fate = EventFate.Processed;
            row.Reason = $"Answered together with message {firstMessageId} (G3: a burst of {followers.Count + 1} messages, one {what}).";
            row.NextAttemptAt = null;
            row.CompletedAt = now;
            row.SessionId = sessionId;
        }
        await db.SaveChangesAsync(ct);
        foreach (var row in rows)
        {
            metrics.EventFinished(nameof(EventFate.Processed), row.SubscriptionType);
        }
    }

    public static string Covering(IReadOnlyList<Follower> followers) =>
        followers.Count == 0 ? "" : $" One answer to {followers.Count + 1} messages (G3 burst; also {string.Join(", ", followers.Select(f => f.MessageId))}).";
}
