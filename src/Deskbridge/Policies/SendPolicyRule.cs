using Deskbridge.HubSpot;

namespace Deskbridge.Policies;

/// <summary>
/// G1: one rule of an organization's send policy. Rules are evaluated in <see cref="Position"/> order and the first match
/// wins; a condition left empty matches anything, so a rule without conditions is a catch-all.
/// </summary>
public sealed class SendPolicyRule
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public int Position { get; set; }

    /// <summary>Channel name as autopilot uses it (chat, email, facebook, whatsapp).</summary>
    public string? Channel { get; set; }

    /// <summary>A whole address (<c>vip@example.com</c>), a domain (<c>example.com</c>) or a wildcard domain (<c>*.example.com</c>).</summary>
    public string? Sender { get; set; }

    /// <summary>Matches answers whose confidence is below this (0–1); a handoff has no answer, so never.</summary>
    public double? ConfidenceBelow { get; set; }

    /// <summary>Matches answers whose confidence is at or above this (0–1).</summary>
    public double? ConfidenceAtLeast { get; set; }

    /// <summary>A detected intent (refund, cancellation, legal) or the agent's handoff trigger (see <see cref="PolicyIntents"/>).</summary>
    public string? Intent { get; set; }

    /// <summary>ISO 639-1 code of the customer's language, as the conversation analysis reports it.</summary>
    public string? Language { get; set; }

    /// <summary>Inside or outside the organization's business hours; null: any time.</summary>
    public HoursCondition? Hours { get; set; }

    public PolicyAction Action { get; set; }

    public string Describe()
    {
        var conditions = new List<string>();
        if (Channel is not null)
        {
            conditions.Add($"channel {Channel}");
        }
        if (Sender is not null)
        {
            conditions.Add($"sender {Sender}");
        }
        if (ConfidenceBelow is { } below)
        {
            conditions.Add(FormattableString.Invariant($"confidence below {below:0.##}"));
        }
        if (ConfidenceAtLeast is { } atLeast)
        {
            conditions.Add(FormattableString.Invariant($"confidence at least {atLeast:0.##}"));
        }
        if (Intent is not null)
        {
            conditions.Add($"intent {Intent}");
        }
        if (Language is not null)
        {
            conditions.Add($"language {Language}");
        }
        if (Hours is { } hours)
        {
            conditions.Add(hours == HoursCondition.Inside ? "inside business hours" : "outside business hours");
        }
        return $"rule {Position + 1} ({(conditions.Count == 0 ? "any message" : string.Join(", ", conditions))})";
    }

    public bool MatchesChannel(string? channelId) =>
        Channel is null || string.Equals(Channel, HubSpotChannels.NameOf(channelId), StringComparison.OrdinalIgnoreCase);

    /// <summary>An address matches itself, a domain its addresses (not its subdomains), <c>*.domain</c> any subdomain's.</summary>
    public bool MatchesSender(string? email)
    {
        if (Sender is null)
        {
            return true;
        }
        if (string.IsNullOrEmpty(email))
        {
            return false;
        }
        if (Sender.Contains('@', StringComparison.Ordinal))
        {
            return string.Equals(Sender, email, StringComparison.OrdinalIgnoreCase);
        }
        var domain = email[(email.LastIndexOf('@') + 1)..];
        return Sender.StartsWith("*.", StringComparison.Ordinal)
            ? domain.EndsWith(Sender[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(domain, Sender, StringComparison.OrdinalIgnoreCase);
    }
}

public enum PolicyAction
{
    /// <summary>Post the answer to the customer as the AI user.</summary>
    Send = 0,

    /// <summary>Post the answer as an internal COMMENT; a human approves (<c>/send</c>) or discards it (G2).</summary>
    Draft = 1,

    /// <summary>Record the answer (as a draft in state Silent), post nothing.</summary>
    Silent = 2,

    /// <summary>Hand the conversation to a human (H1), even when the agent had an answer.</summary>
    HandOff = 3,
}

public enum HoursCondition
{
    Inside = 0,
    Outside = 1,
}
