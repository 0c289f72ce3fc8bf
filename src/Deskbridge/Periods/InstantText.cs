using System.Globalization;

namespace Deskbridge.Periods;

/// <summary>
/// One rule for every <c>from</c>/<c>to</c> the API and the dashboard take (analytics, the conversations list, knowledge
/// gaps): a date (2026-12-01) is its midnight UTC, which is what the pages' date fields send; a date and time must say
/// its offset (2026-12-01T08:00:00Z or +01:00), because "08:00" alone would mean some zone the caller did not name.
/// </summary>
public static class InstantText
{
    /// <summary>The message a caller shows next to the parameter's name when <see cref="TryParse"/> refuses its value.</summary>
    public const string Expected = "must be a date (2026-12-01, midnight UTC) or an ISO 8601 date and time with its offset (2026-12-01T08:00:00Z)";

    private const int LongestText = 40;

    public static bool TryParse(string? value, out DateTimeOffset instant)
    {
        instant = default;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > LongestText)
        {
            return false;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && IsPlausible(day.Year))
        {
            instant = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 16 && text[^6] is '+' or '-' && text[^3] == ':');
        if (text.Length > 10 && text[10] is 'T' or 't' && hasOffset
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            && IsPlausible(at.Year))
        {
            instant = at.ToUniversalTime();
            return true;
        }
        return false;
    }

    // Nothing Deskbridge stores is older than 2000; a year such as 0202 or 20260 is a typing slip, not a period.
    private static bool IsPlausible(int year) => year is >= 2000 and <= 9000;

    /// <summary>The value as it goes into a message: trimmed and cut, since it is the caller's text.</summary>
    public static string Quoted(string value)
    {
        var text = value.Trim();
        return "\"" + (text.Length <= LongestText ? text : text[..LongestText] + "…") + "\"";
    }
}
