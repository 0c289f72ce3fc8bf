using System.Globalization;

namespace Deskbridge.BusinessHours;

/// <param name="Close">Exclusive; <see cref="TimeSpan.FromHours(double)"/> 24 means open until midnight.</param>
public sealed record OpenRange(DayOfWeek Day, TimeSpan Open, TimeSpan Close);

/// <summary>G6: business hours read: whether the team is in at an instant, and when it is next in.</summary>
public sealed class BusinessClock
{
    private readonly TimeZoneInfo _zone;
    private readonly IReadOnlyList<OpenRange> _week;
    private readonly HashSet<DateOnly> _holidays;

    private BusinessClock(TimeZoneInfo zone, IReadOnlyList<OpenRange> week, HashSet<DateOnly> holidays)
    {
        _zone = zone;
        _week = week;
        _holidays = holidays;
    }

    /// <summary>No business hours set: always open.</summary>
    public static BusinessClock AlwaysOpen { get; } = new(TimeZoneInfo.Utc,
        [.. Enum.GetValues<DayOfWeek>().Select(d => new OpenRange(d, TimeSpan.Zero, TimeSpan.FromHours(24)))], []);

    public string TimeZoneId => _zone.Id;

    public IReadOnlyList<OpenRange> Week => _week;

    public IReadOnlyCollection<DateOnly> Holidays => _holidays;

    /// <summary>Reads stored settings, which were validated when saved; a zone this machine does not know falls back to UTC.</summary>
    public static BusinessClock From(BusinessHoursSettings? settings)
    {
        if (settings is null)
        {
            return AlwaysOpen;
        }
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(settings.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var week = settings.Weekly.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseRange).OfType<OpenRange>().ToList();
        var holidays = settings.Holidays.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : (DateOnly?)null)
            .OfType<DateOnly>().ToHashSet();
        return new BusinessClock(zone, week, holidays);
    }

    public bool IsOpen(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, _zone);
        if (_holidays.Contains(DateOnly.FromDateTime(local.DateTime)))
        {
            return false;
        }
        var time = local.TimeOfDay;
        return _week.Any(r => r.Day == local.DayOfWeek && time >= r.Open && time < r.Close);
    }

    /// <summary>The next moment the team is in (local time), looking up to two weeks ahead; null when it never is.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset after)
    {
        var local = TimeZoneInfo.ConvertTime(after, _zone);
        for (var day = 0; day <= 14; day++)
        {
            var date = DateOnly.FromDateTime(local.Date.AddDays(day));
            if (_holidays.Contains(date))
            {
                continue;
            }
            foreach (var range in _week.Where(r => r.Day == date.DayOfWeek).OrderBy(r => r.Open))
            {
                var opens = date.ToDateTime(TimeOnly.MinValue) + range.Open;
                if (day == 0 && local.TimeOfDay >= range.Open)
                {
                    if (local.TimeOfDay < range.Close)
                    {
                        return local;
                    }
                    continue;
                }
                return new DateTimeOffset(opens, _zone.GetUtcOffset(opens));
            }
        }
        return null;
    }

    public static string Format(OpenRange range) =>
        $"{range.Day.ToString().ToLowerInvariant()} {Time(range.Open)}-{Time(range.Close)}";

    public static string Time(TimeSpan time) => time == TimeSpan.FromHours(24) ? "24:00" : time.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    public static bool TryParseTime(string? text, out TimeSpan time)
    {
        time = default;
        if (text?.Trim() == "24:00")
        {
            time = TimeSpan.FromHours(24);
            return true;
        }
        if (TimeOnly.TryParseExact(text?.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            time = parsed.ToTimeSpan();
            return true;
        }
        return false;
    }

    private static OpenRange? ParseRange(string text)
    {
        var parts = text.Split(' ', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !Enum.TryParse<DayOfWeek>(parts[0], ignoreCase: true, out var day))
        {
            return null;
        }
        var times = parts[1].Split('-', 2);
        return times.Length == 2 && TryParseTime(times[0], out var open) && TryParseTime(times[1], out var close) && close > open
            ? new OpenRange(day, open, close)
            : null;
    }
}
