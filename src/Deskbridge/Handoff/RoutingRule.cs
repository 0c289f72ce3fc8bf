using Deskbridge.HubSpot;

namespace Deskbridge.Handoff;

/// <summary>
/// H3: who gets a handed-off ticket. Rules are evaluated in <see cref="Position"/> order and the first match wins;
/// a condition left empty matches anything, so a rule without conditions is a catch-all.
/// </summary>
public sealed class RoutingRule
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public int Position { get; set; }

    /// <summary>Channel name as autopilot uses it (chat, email, facebook, whatsapp).</summary>
    public string? Channel { get; set; }

    /// <summary>ISO 639-1 code of the customer's language, as the conversation analysis reports it.</summary>
    public string? Language { get; set; }

    /// <summary>Comma-separated; any one found in what the customer wrote (case-insensitive) matches.</summary>
    public string Keywords { get; set; } = "";

    /// <summary>The HubSpot user (a plain number, as in Settings &gt; Users) whose owner gets the ticket.</summary>
    public long AssignToUserId { get; set; }

    public IReadOnlyList<string> KeywordList =>
        Keywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool Matches(string? channelId, string language, string customerText) =>
        (Channel is null || string.Equals(Channel, HubSpotChannels.NameOf(channelId), StringComparison.OrdinalIgnoreCase))
        && (Language is null || string.Equals(Language, language, StringComparison.OrdinalIgnoreCase))
        && (KeywordList is not { Count: > 0 } keywords || keywords.Any(k => customerText.Contains(k, StringComparison.OrdinalIgnoreCase)));

    public string Describe()
    {
        var conditions = new List<string>();
        if (Channel is not null)
        {
            conditions.Add($"channel {Channel}");
        }
        if (Language is not null)
        {
            conditions.Add($"language {Language}");
        }
        if (KeywordList.Count > 0)
        {
            conditions.Add($"keywords {string.Join('/', KeywordList)}");
        }
        return $"routing rule {Position + 1} ({(conditions.Count == 0 ? "any conversation" : string.Join(", ", conditions))})";
    }
}
