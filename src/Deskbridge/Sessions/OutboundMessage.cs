namespace Deskbridge.Sessions;

/// <summary>
/// The intent to post something on a thread, recorded before the HubSpot call so that a crash between
/// posting and marking the event done cannot produce a second post: on retry we look for <see cref="Token"/>
/// in the thread's messages before posting again.
/// </summary>
public sealed class OutboundMessage
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid SessionId { get; set; }
    public required string ThreadId { get; set; }

    /// <summary>The customer message this answers (or the handoff it announces).</summary>
    public required string ForMessageId { get; set; }
    public OutboundKind Kind { get; set; }
    public required string Token { get; set; }
    public required string Text { get; set; }
    public OutboundState State { get; set; }
    public string? PostedMessageId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PostedAt { get; set; }
}

public enum OutboundKind
{
    Reply = 0,
    Draft = 1,
    HandoffNote = 2,

    /// <summary>G6: the customer is told, on handoff, that a human will reply.</summary>
    HandoffNotice = 3,

    /// <summary>G2: an internal COMMENT answering a /send or /discard (why a draft was not sent).</summary>
    ApprovalNote = 4,
}

public enum OutboundState
{
    Intended = 0,
    Posted = 1,
}
