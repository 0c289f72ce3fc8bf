namespace Deskbridge.Organizations;

public sealed class Organization
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }

    /// <summary>Short name; also the folder name of the organization's knowledge base.</summary>
    public required string Slug { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Comma-separated channel names with autopilot on (S5), e.g. "chat,email".</summary>
    public string AutopilotChannels { get; set; } = "";

    /// <summary>S6/C7: answers become internal drafts; owner checks are ignored.</summary>
    public bool AssistMode { get; set; }

    /// <summary>
    /// C2/C6: the seed's strict rule, for teams that route on purpose: only threads assigned to the AI user are answered.
    /// Off by default, because a real portal leaves new threads unassigned unless its inbox routes them.
    /// </summary>
    public bool AnswerOnlyAssignedThreads { get; set; }

    /// <summary>S6: ticket creation and sync.</summary>
    public bool TicketingEnabled { get; set; } = true;

    /// <summary>W1: the current webhook URL generation; the previous one stays valid for a grace period.</summary>
    public int WebhookKeyGeneration { get; set; } = 1;
    public DateTimeOffset? WebhookKeyRotatedAt { get; set; }

    public bool IsAutopilotOn(string channel) =>
        AutopilotChannels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Contains(channel, StringComparer.OrdinalIgnoreCase);
}
