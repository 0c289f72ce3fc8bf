using System.Globalization;

namespace Deskbridge.Outcomes;

/// <summary>The AI's outcome of one conversation, as written into HubSpot.</summary>
/// <param name="Outcome">One of <see cref="OutcomeValues"/>.</param>
public sealed record AiOutcome(string Outcome, int Replies, string? HandoffReason, string? HandoffTrigger)
{
    /// <summary>Equal fingerprints mean the ticket already shows this outcome; the reply count counts only when asked to.</summary>
    public string TicketFingerprint(bool withReplies) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        string.Join('|', Outcome, withReplies ? Replies.ToString(CultureInfo.InvariantCulture) : "", HandoffTrigger, HandoffReason))));

    public Dictionary<string, string> TicketProperties(int reasonMaxLength)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OutcomeProperties.AiInvolved] = "true",
            [OutcomeProperties.AiOutcome] = Outcome,
            [OutcomeProperties.AiReplies] = Replies.ToString(CultureInfo.InvariantCulture),
        };
        if (HandoffReason is { } reason && Trim(reason, reasonMaxLength) is { Length: > 0 } trimmed)
        {
            properties[OutcomeProperties.HandoffReason] = trimmed;
        }
        if (HandoffTrigger is { } trigger)
        {
            properties[OutcomeProperties.HandoffTrigger] = trigger;
        }
        return properties;
    }

    /// <summary>datetime takes any epoch millisecond (a date property would need midnight UTC).</summary>
    public Dictionary<string, string> ContactProperties(DateTimeOffset at) => new(StringComparer.Ordinal)
    {
        [OutcomeProperties.LastAiOutcome] = Outcome,
        [OutcomeProperties.LastAiConversation] = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>One line, cut at a length a report column shows (HubSpot's own limit is 65,536 characters).</summary>
    internal static string Trim(string text, int max)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= max ? line : line[..(max - 1)].TrimEnd() + "…";
    }
}
