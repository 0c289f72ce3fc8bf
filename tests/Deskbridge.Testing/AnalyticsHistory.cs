using Deskbridge.Inbox;
using Deskbridge.Policies;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Testing;

/// <summary>
/// I2: a small history whose figures are known exactly, written straight into the database (conversation facts as
/// engineer A's processing would keep them, skipped events, drafts). The period is [Start, Start + 7 days); a few rows
/// sit just outside it, or in another organization, and must not count. "now" must be at least Start + 8 days.
/// </summary>
public static class AnalyticsHistory
{
    public const long Second = 1000, Minute = 60 * Second, Hour = 60 * Minute, Day = 24 * Hour;

    public static async Task SeedAsync(IServiceProvider services, Guid organizationId, Guid otherOrganizationId, DateTimeOffset start, DateTimeOffset now)
    {
        var t = start.ToUnixTimeMilliseconds();
        var sessions = new List<Session>
        {
            // 1 chat, starts exactly at from: answered in 10 s, quiet since → resolved.
            Conversation(organizationId, "t1", "chat", t, aiFirst: t + 10 * Second),
            // 2 chat: answered in 20 s, but the customer wrote again after the AI's last reply → answered, not resolved.
            Conversation(organizationId, "t2", "chat", t + Day, aiFirst: t + Day + 20 * Second, lastCustomer: t + Day + Hour),
            // 3 email: answered in 60 s, then handed off at the customer's request.
            Conversation(organizationId, "t3", "email", t + Day + 5 * Hour, aiFirst: t + Day + 5 * Hour + 60 * Second,
                handedOff: t + Day + 7 * Hour, trigger: "CustomerAskedForHuman", reason: "Customer asked for a human"),
            // 4, 5 chat: handed off for low confidence without an answer; a human took 5.
            Conversation(organizationId, "t4", "chat", t + 2 * Day, handedOff: t + 2 * Day + Second, trigger: "LowConfidence", reason: "Low confidence: refunds"),
            Conversation(organizationId, "t5", "chat", t + 2 * Day + Hour, handedOff: t + 2 * Day + Hour + Second, trigger: "LowConfidence",
                reason: "Low confidence: refunds", takeover: t + 2 * Day + 2 * Hour),
            // 6 email: answered in 30 s, then a human took it over without a handoff.
            Conversation(organizationId, "t6", "email", t + 3 * Day, aiFirst: t + 3 * Day + 30 * Second, takeover: t + 3 * Day + Hour),
            // 7 chat, the period's last millisecond: answered in 40 s, last reply 23 h ago → not yet known.
            Conversation(organizationId, "t7", "chat", t + 7 * Day - 1, aiFirst: t + 7 * Day - 1 + 40 * Second,
                aiLast: now.ToUnixTimeMilliseconds() - 23 * Hour, aiReplies: 3),
            // 10 whatsapp: still waiting for an answer.
            Conversation(organizationId, "t10", "whatsapp", t + 4 * Day),
            // 13 chat: the approved draft was the answer, after 5 min → resolved.
            Conversation(organizationId, "t13", "chat", t + 5 * Day, aiFirst: t + 5 * Day + 5 * Minute),
            // Outside: exactly at to, one millisecond before from, another organization, no customer message yet.
            Conversation(organizationId, "t8", "chat", t + 7 * Day, aiFirst: t + 7 * Day + Second),
            Conversation(organizationId, "t9", "chat", t - 1, aiFirst: t + Second),
            Conversation(otherOrganizationId, "t1", "chat", t + Day, aiFirst: t + Day + Second),
            new() { OrganizationId = organizationId, ThreadId = "t12", CreatedAt = start.AddDays(1), Channel = "chat" },
        };
        var s = sessions.ToDictionary(x => (x.OrganizationId, x.ThreadId), x => x.Id);
        var drafts = new List<AnswerDraft>
        {
            Draft(organizationId, s[(organizationId, "t13")], "t13", DraftState.Approved),
            Draft(organizationId, s[(organizationId, "t13")], "t13", DraftState.Edited),
            Draft(organizationId, s[(organizationId, "t13")], "t13", DraftState.Discarded),
            Draft(organizationId, s[(organizationId, "t6")], "t6", DraftState.Stale),
            Draft(organizationId, s[(organizationId, "t6")], "t6", DraftState.Pending),
            Draft(organizationId, s[(organizationId, "t6")], "t6", DraftState.Sending),
            Draft(organizationId, s[(organizationId, "t6")], "t6", DraftState.Silent),
            Draft(organizationId, s[(organizationId, "t8")], "t8", DraftState.Approved),
            Draft(otherOrganizationId, s[(otherOrganizationId, "t1")], "t1", DraftState.Approved),
        };
        var events = new List<InboxEvent>
        {
            Event(organizationId, "t1", t, EventFate.Skipped, SkipCodes.OwnMessage),
            Event(organizationId, "t3", t + 7 * Day - 1, EventFate.Skipped, SkipCodes.OwnMessage),
            Event(organizationId, "t1", t + 7 * Day, EventFate.Skipped, SkipCodes.OwnMessage),
            Event(organizationId, "t1", t - 1, EventFate.Skipped, SkipCodes.HumanOwned),
            Event(organizationId, "t5", t + 2 * Day, EventFate.Skipped, SkipCodes.HumanOwned),
            Event(organizationId, null, t + 3 * Day, EventFate.Skipped, null),
            Event(organizationId, "t2", t + Day, EventFate.Processed, null),
            Event(otherOrganizationId, "t1", t + Day, EventFate.Skipped, SkipCodes.OwnMessage),
        };
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        db.Sessions.AddRange(sessions);
        db.AnswerDrafts.AddRange(drafts);
        db.InboxEvents.AddRange(events);
        await db.SaveChangesAsync();
    }

    private static Session Conversation(Guid organizationId, string threadId, string channel, long firstCustomer, long? aiFirst = null, long? aiLast = null,
        int? aiReplies = null, long? lastCustomer = null, long? handedOff = null, string? trigger = null, string? reason = null, long? takeover = null)
    {
        var lastAi = aiLast ?? aiFirst;
        var status = takeover is not null ? ConversationStatus.WithHuman
            : handedOff is not null ? ConversationStatus.HandedOff
            : aiFirst is not null && (lastCustomer ?? firstCustomer) <= lastAi ? ConversationStatus.AnsweredByAi
            : ConversationStatus.Waiting;
        return new Session
        {
            OrganizationId = organizationId,
            ThreadId = threadId,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(firstCustomer),
            Channel = channel,
            Language = "en",
            Status = status,
            State = handedOff is null ? SessionState.Active : SessionState.HandedOff,
            HandoffReason = reason,
            HumanTookOver = takeover is not null,
            FirstCustomerMessageAt = firstCustomer,
            LastCustomerMessageAt = lastCustomer ?? firstCustomer,
            CustomerMessages = lastCustomer is null ? 1 : 2,
            FirstAiReplyAt = aiFirst,
            LastAiReplyAt = lastAi,
            AiReplies = aiReplies ?? (aiFirst is null ? 0 : 1),
            HandedOffAt = handedOff,
            HandoffTrigger = trigger,
            HumanTakeoverAt = takeover,
            LastActivityAt = new[] { firstCustomer, lastCustomer ?? 0, lastAi ?? 0, handedOff ?? 0, takeover ?? 0 }.Max(),
        };
    }

    private static AnswerDraft Draft(Guid organizationId, Guid sessionId, string threadId, DraftState state) => new()
    {
        OrganizationId = organizationId,
        SessionId = sessionId,
        ThreadId = threadId,
        ForMessageId = $"m-{Guid.NewGuid():N}",
        Text = "A drafted answer.",
        Confidence = 0.5,
        Decision = "seeded",
        State = state,
        Edited = state == DraftState.Edited,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static InboxEvent Event(Guid organizationId, string? threadId, long occurredAt, EventFate fate, string? skipCode)
    {
        var key = $"{threadId ?? "ticket"}-{Guid.NewGuid():N}";
        return new InboxEvent
        {
            OrganizationId = organizationId,
            BatchId = Guid.NewGuid(),
            ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(occurredAt),
            SubscriptionType = threadId is null ? "ticket.propertyChange" : "conversation.newMessage",
            ObjectId = threadId ?? "777",
            ThreadId = threadId,
            OccurredAt = occurredAt,
            Payload = "{}",
            DedupKey = key,
            OrderingKey = key,
            Status = EventStatus.Done,
            Fate = fate,
            Reason = skipCode is null ? "seeded" : SkipCodes.LabelOf(skipCode),
            SkipCode = skipCode,
            CompletedAt = DateTimeOffset.FromUnixTimeMilliseconds(occurredAt),
        };
    }
}
