namespace Deskbridge.Inbox;

/// <summary>
/// One webhook event as HubSpot sent it, kept in the durable inbox until it has its final fate (O1).
/// The inbox is the source of truth for processing; nothing in memory is.
/// </summary>
public sealed class InboxEvent
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid BatchId { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }

    public string? EventId { get; set; }
    public required string SubscriptionType { get; set; }
    public required string ObjectId { get; set; }
    public string? MessageId { get; set; }
    public string? MessageType { get; set; }
    public string? PropertyName { get; set; }
    public string? PropertyValue { get; set; }
    public long? OccurredAt { get; set; }
    public int AttemptNumber { get; set; }

    /// <summary>The event exactly as received, for audit and replays.</summary>
    public required string Payload { get; set; }

    /// <summary>W5: <c>${objectId}-${messageId ?? eventId}</c> for messages; see <see cref="Webhooks.WebhookEnvelope.DedupKey"/>.</summary>
    public required string DedupKey { get; set; }

    /// <summary>Events with the same key are processed one at a time, in arrival order (per thread, per ticket).</summary>
    public required string OrderingKey { get; set; }

    public EventStatus Status { get; set; }
    public EventFate? Fate { get; set; }

    /// <summary>What was done, or why not: the answer to "why didn't the AI reply?".</summary>
    public string? Reason { get; set; }

    /// <summary>I2: for a skipped event, which rule skipped it (<see cref="SkipCodes"/>), so analytics can count skips by reason.</summary>
    public string? SkipCode { get; set; }

    public string? LastError { get; set; }
    public int ProcessingAttempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    public string? ThreadId { get; set; }
    public Guid? SessionId { get; set; }

    /// <summary>A failed event goes back into the inbox with a fresh retry budget; its earlier fate stays readable in the reason.</summary>
    public void RequeueAfterFailure()
    {
        Status = EventStatus.Pending;
        Fate = null;
        Reason = $"Retry requested after: {Reason}";
        ProcessingAttempts = 0;
        NextAttemptAt = null;
        CompletedAt = null;
    }

    /// <summary>O3: W3C trace context of the webhook batch that brought the event; its processing span links to it.</summary>
    public string? TraceParent { get; set; }
}

public enum EventStatus
{
    Pending = 0,
    Done = 1,
}

public enum EventFate
{
    Processed = 1,
    Skipped = 2,
    Duplicate = 3,
    Ignored = 4,
    Failed = 5,

    /// <summary>W7: the event broke a rule at the door (its reason says which); stored for the record, never processed.</summary>
    Rejected = 6,
}

/// <summary>W5: a persisted dedup key, so a retry or a later batch is recognised, not only within one batch.</summary>
public sealed class DedupKey
{
    public Guid OrganizationId { get; set; }
    public required string Key { get; set; }
    public long FirstEventId { get; set; }
}
