using Deskbridge.Periods;

namespace Deskbridge.Knowledge.Gaps;

/// <summary>I3: <c>from</c>/<c>to</c> as the API and the page take them: as <see cref="InstantText"/> reads them; by default the last 30 days.</summary>
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
        if (InstantText.TryParse(value, out var at))
        {
            return at;
        }
        problems[name] = [$"{name} {InstantText.Expected}; got {InstantText.Quoted(value)}."];
        return null;
    }
}
