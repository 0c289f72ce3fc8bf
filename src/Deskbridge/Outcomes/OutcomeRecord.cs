namespace Deskbridge.Outcomes;

/// <summary>
/// I4: what Deskbridge last wrote into HubSpot for a session, so the outcome is written when it changes and at most once per
/// change (a retried event, or a second reply that changes nothing, makes no call).
/// </summary>
public sealed class OutcomeRecord
{
    public Guid SessionId { get; set; }
    public Guid OrganizationId { get; set; }

    /// <summary>The <see cref="Agent.HandoffTrigger"/> name of the session's latest handoff (the session keeps its reason).</summary>
    public string? HandoffTrigger { get; set; }

    /// <summary>The ticket written to and the outcome's fingerprint written there (null: nothing written yet).</summary>
    public string? TicketId { get; set; }
    public string? TicketWritten { get; set; }

    /// <summary>The contact written to and the outcome value written there.</summary>
    public string? ContactId { get; set; }
    public string? ContactWritten { get; set; }

    /// <summary>Epoch ms of the latest write.</summary>
    public long UpdatedAt { get; set; }
}
