using System.Globalization;

namespace Deskbridge.Knowledge.Gaps;

/// <summary>I3: <c>from</c>/<c>to</c> as the API and the page take them: ISO 8601 dates (midnight UTC) or date-times; by default the last 30 days.</summary>
public static class GapPeriodInput
{
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(30);

    /// <summary>The longest period one report groups.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(366);

    public static (GapPeriod? Period, Dictionary<string, string[]> Problems) Parse(string? from, string? to, DateTimeOffset now)
    {
        var problems = new Dictionary<string, string[]>();
        var end = Read(to, "to", problems) ?? now;
        var start = Read(from, "from", problems) ?? end - DefaultLength;
        if (problems.Count == 0 && start >= end)
        {
            problems["to"] = [$"to ({end:O}) must be after from ({start:O}); the period is [from, to)."];
        }
        else if (problems.Count == 0 && end - start > MaxLength)
        {
            problems["from"] = [$"The period is longer than {MaxLength.TotalDays:0} days."];
        }
        return (problems.Count == 0 ? new GapPeriod(start, end) : null, problems);
    }

    private static DateTimeOffset? Read(string? value, string name, Dictionary<string, string[]> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = value.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        // A date-time must say its offset: "10:00" alone would mean the server's zone.
        if (text.Length > 10 && (text.EndsWith('Z') || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            && at.Year is >= 2000 and <= 9000)
        {
            return at.ToUniversalTime();
        }
        problems[name] = [$"{name} must be an ISO 8601 date (2026-11-01) or a date-time with its offset (2026-11-01T09:30:00Z); got \"{Shorten(text)}\"."];
        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
