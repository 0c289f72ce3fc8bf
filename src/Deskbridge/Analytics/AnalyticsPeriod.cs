using System.Globalization;
using System.Text.RegularExpressions;
using Deskbridge.HubSpot;
using Deskbridge.Periods;

namespace Deskbridge.Analytics;

/// <summary>
/// I2: what the figures are about — one organization's conversations started in [From, To) (epoch ms, UTC), on one
/// channel or all. The API and the dashboard read the same query string (from, to, days, channel) through <see cref="TryParse"/>.
/// </summary>
public sealed partial record AnalyticsPeriod(DateTimeOffset From, DateTimeOffset To, string? Channel)
{
    public const int DefaultDays = 30;
    public static readonly IReadOnlyList<int> Presets = [7, 30, 90];

    public long FromMs => From.ToUnixTimeMilliseconds();
    public long ToMs => To.ToUnixTimeMilliseconds();
    public int Days => (int)Math.Ceiling((To - From).TotalDays);

    /// <summary>
    /// from/to: as <see cref="InstantText"/> reads them; to is not included. Without them, the last <paramref name="days"/>
    /// (default 30) whole UTC days up to and including today. channel: all (or empty), a channel name (chat, email, …) or channel-&lt;id&gt;.
    /// </summary>
    /// <returns>The period, or the problems by parameter name (for a ValidationProblem).</returns>
    public static AnalyticsPeriod? TryParse(string? from, string? to, string? days, string? channel, DateTimeOffset now, int maxDays,
        out Dictionary<string, string[]> problems)
    {
        problems = [];
        var end = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        DateTimeOffset? parsedFrom = null, parsedTo = null;
        if (!string.IsNullOrWhiteSpace(from))
        {
            parsedFrom = ParseInstant(from);
            if (parsedFrom is null)
            {
                problems["from"] = [$"from {InstantText.Expected}; got {InstantText.Quoted(from)}."];
            }
        }
        if (!string.IsNullOrWhiteSpace(to))
        {
            parsedTo = ParseInstant(to);
            if (parsedTo is null)
            {
                problems["to"] = [$"to {InstantText.Expected}; got {InstantText.Quoted(to)}."];
            }
        }
        var span = DefaultDays;
        if (!string.IsNullOrWhiteSpace(days))
        {
            if (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out span) || span < 1 || span > maxDays)
            {
                problems["days"] = [$"days must be a whole number from 1 to {maxDays}."];
            }
            else if (!string.IsNullOrWhiteSpace(from) && !string.IsNullOrWhiteSpace(to))
            {
                problems["days"] = ["Give either days or both from and to, not all three."];
            }
        }
        var normalizedChannel = NormalizeChannel(channel);
        if (normalizedChannel is null && !IsAll(channel))
        {
            problems["channel"] = [$"'{channel}' is not a channel; use all, {string.Join(", ", HubSpotChannels.KnownNames)}, unknown or channel-<id>."];
        }
        if (problems.Count > 0)
        {
            return null;
        }

        var periodTo = parsedTo ?? (parsedFrom is { } f && !string.IsNullOrWhiteSpace(days) ? f.AddDays(span) : end);
        var periodFrom = parsedFrom ?? periodTo.AddDays(-span);
        if (periodFrom >= periodTo)
        {
            problems["from"] = [$"from ({periodFrom:u}) must be before to ({periodTo:u})."];
            return null;
        }
        if (periodTo - periodFrom > TimeSpan.FromDays(maxDays))
        {
            problems["to"] = [$"The period is {(periodTo - periodFrom).TotalDays:0.#} days; at most {maxDays} days at a time."];
            return null;
        }
        return new AnalyticsPeriod(periodFrom, periodTo, normalizedChannel);
    }

    private static bool IsAll(string? channel) => string.IsNullOrWhiteSpace(channel) || channel.Trim().Equals("all", StringComparison.OrdinalIgnoreCase);

    /// <summary>The stored channel name (Session.Channel) the filter matches, or null for all or for a name that is no channel.</summary>
    private static string? NormalizeChannel(string? channel)
    {
        if (IsAll(channel))
        {
            return null;
        }
        var value = channel!.Trim().ToLowerInvariant();
        return HubSpotChannels.KnownNames.Contains(value) || value == "unknown" || OtherChannel().IsMatch(value) ? value : null;
    }

    private static DateTimeOffset? ParseInstant(string value) => InstantText.TryParse(value, out var instant) ? instant : null;

    // HubSpotChannels.NameOf names channels it does not know channel-<id>.
    [GeneratedRegex("^channel-[0-9]{1,20}$")]
    private static partial Regex OtherChannel();
}
