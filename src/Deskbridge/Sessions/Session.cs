namespace Deskbridge.Sessions;

/// <summary>C4: one HubSpot thread is one AI session, with its transcript and custom data.</summary>
public sealed class Session
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string ThreadId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? ChannelId { get; set; }
    public string? ChannelAccountId { get; set; }
    public string? ContactId { get; set; }
    public string? CustomerEmail { get; set; }
    public string? TicketId { get; set; }
    public SessionState State { get; set; }
    public string? HandoffReason { get; set; }

    /// <summary>Set once a human owned the thread after a handoff; reassigning it to the AI user then resumes the AI.</summary>
    public bool HumanTookOver { get; set; }

    /// <summary>U3: a HubSpot workflow paused the AI on this thread (Pause AI); customer messages are not answered until Resume AI or Send to AI.</summary>
    public bool AiPaused { get; set; }
    public string? Subject { get; set; }

    /// <summary>JSON object of string values (ticket properties synced back, workflow data).</summary>
    public string CustomData { get; set; } = "{}";

    /// <summary>JSON object: property name to the occurredAt (epoch ms) of the value held, so older edits never overwrite newer ones.</summary>
    public string CustomDataStamps { get; set; } = "{}";

    // I1/I2: facts about the conversation, kept as it happens, so the conversations list and analytics read one row per
    // conversation instead of replaying its events. Times are epoch milliseconds (UTC): SQLite cannot compare or sort
    // DateTimeOffset in SQL, and every period filter and ordering needs to.

    /// <summary>The channel's name (chat, email, …; <see cref="HubSpot.HubSpotChannels.NameOf"/>) of the customer's first message.</summary>
    public string? Channel { get; set; }

    /// <summary>The customer's language (ISO 639-1) when it was detected.</summary>
    public string? Language { get; set; }

    /// <summary>Where the conversation is now; kept in step with the facts below.</summary>
    public ConversationStatus Status { get; set; }

    /// <summary>HubSpot's createdAt of the first customer message Deskbridge took in: the conversation's start for every period filter.</summary>
    public long? FirstCustomerMessageAt { get; set; }
    public long? LastCustomerMessageAt { get; set; }
    public int CustomerMessages { get; set; }

    /// <summary>When Deskbridge's first reply to the customer was posted (time to first AI answer = this − FirstCustomerMessageAt).</summary>
    public long? FirstAiReplyAt { get; set; }
    public long? LastAiReplyAt { get; set; }
    public int AiReplies { get; set; }

    /// <summary>The first handoff of the conversation, and what triggered it (<see cref="Agent.HandoffTrigger"/> name).</summary>
    public long? HandedOffAt { get; set; }
    public string? HandoffTrigger { get; set; }

    /// <summary>The first time a human took the thread: assigned it to themselves, or answered the customer.</summary>
    public long? HumanTakeoverAt { get; set; }

    /// <summary>The latest of the times above: the conversations list shows newest activity first.</summary>
    public long LastActivityAt { get; set; }
}

/// <summary>I1: the states the conversations list filters on.</summary>
public enum ConversationStatus
{
    /// <summary>The customer's latest message has no answer yet (not answered by the AI, not handed off).</summary>
    Waiting = 0,

    /// <summary>
    /// The AI answered the customer's latest message and the conversation is not with the humans now. A conversation handed
    /// off earlier and given back to the AI counts again: the list shows where it is now; HandedOffAt keeps the handoff.
    /// </summary>
    AnsweredByAi = 1,

    /// <summary>Handed off to a human, who has not taken the thread yet.</summary>
    HandedOff = 2,

    /// <summary>A human took the thread (after a handoff, or on their own).</summary>
    WithHuman = 3,

    /// <summary>The send policy held the AI's answer back as a draft or a silent record (G1).</summary>
    Drafted = 4,
}

public enum SessionState
{
    Active = 0,
    HandedOff = 1,
}

public sealed class SessionMessage
{
    public long Id { get; set; }
    public Guid SessionId { get; set; }

    /// <summary>The HubSpot message this entry came from (unique per session, so re-processing adds nothing twice).</summary>
    public required string HubSpotMessageId { get; set; }
    public Agent.Speaker Speaker { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset At { get; set; }
}
