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
