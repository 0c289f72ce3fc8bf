namespace Deskbridge.Policies;

/// <summary>
/// G1/G2: an answer the send policy held back — posted as an internal COMMENT for approval (Draft), or only recorded
/// (Silent). Kept so the dashboard, and later analytics, can count what was approved, edited or discarded.
/// </summary>
public sealed class AnswerDraft
{
    /// <summary>Also the order drafts were made in (SQLite cannot sort by DateTimeOffset).</summary>
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid SessionId { get; set; }
    public required string ThreadId { get; set; }

    /// <summary>The customer message this answers; the approved reply is posted once for it (ThreadPoster).</summary>
    public required string ForMessageId { get; set; }

    /// <summary>The internal COMMENT that shows the draft in HubSpot; null for a silent one.</summary>
    public string? DraftMessageId { get; set; }

    public required string Text { get; set; }
    public double Confidence { get; set; }

    /// <summary>The send policy's verdict (which rule, why), as the fate said it.</summary>
    public required string Decision { get; set; }

    public DraftState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who approved or discarded it: the HubSpot actor or the dashboard user's email.</summary>
    public string? DecidedBy { get; set; }

    /// <summary>"hubspot" (a /send or /discard comment) or "dashboard".</summary>
    public string? DecidedVia { get; set; }

    /// <summary>The approval that claimed the draft: the command comment's id, or dashboard:&lt;guid&gt;. A retry of the same one resumes.</summary>
    public string? ApprovalId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>What went to the customer: the draft, or the approver's edit.</summary>
    public string? SentText { get; set; }
    public string? SentMessageId { get; set; }
    public bool Edited { get; set; }

    /// <summary>Why the draft can no longer be sent (stale), or why a command was refused.</summary>
    public string? Note { get; set; }
}

public enum DraftState
{
    Pending = 0,

    /// <summary>Claimed by one approval, being posted; only that approval (or its retry) may finish it.</summary>
    Sending = 1,
    Approved = 2,
    Edited = 3,
    Discarded = 4,

    /// <summary>No longer the latest customer question (the customer wrote again, or a human answered).</summary>
    Stale = 5,

    /// <summary>Recorded only (send policy action silent); never shown in HubSpot.</summary>
    Silent = 6,
}
