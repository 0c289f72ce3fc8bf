using System.Globalization;
using System.Text.RegularExpressions;
using Deskbridge.HubSpotSandbox.Errors;

namespace Deskbridge.HubSpotSandbox.Crm;

/// <summary>
/// The value formats of HubSpot's non-text property types. HubSpot's docs: a <c>date</c> holds a day and must be set to
/// midnight UTC (epoch milliseconds, or YYYY-MM-DD), anything else is an error; a <c>datetime</c> takes any epoch
/// millisecond timestamp (or an ISO 8601 date-time); a <c>number</c> a decimal number. HubSpot does not publish its error
/// codes for these, so INVALID_NUMBER, INVALID_DATE and INVALID_DATETIME are the sandbox's names. Stricter than HubSpot where
/// it may be lenient: no exponents, thousands separators or seconds-based timestamps are taken.
/// </summary>
public static partial class PropertyValueFormats
{
    public static PropertyValidationFailure? Problem(string type, string name, string value) => type switch
    {
        "number" when !Number().IsMatch(value) =>
            new(false, $"{value} is not a valid number.", "INVALID_NUMBER", name),
        "datetime" when !IsDateTime(value) =>
            new(false, $"{value} is not a valid datetime: use epoch milliseconds (UTC) or an ISO 8601 date-time.", "INVALID_DATETIME", name),
        "date" when DateProblem(value) is { } problem =>
            new(false, problem, "INVALID_DATE", name),
        _ => null,
    };

    private static bool IsDateTime(string value) =>
        (EpochMilliseconds().IsMatch(value) && long.TryParse(value, CultureInfo.InvariantCulture, out _))
        || (IsoDateTime().IsMatch(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));

    private static string? DateProblem(string value)
    {
        if (IsoDate().IsMatch(value))
        {
            return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : $"{value} is not a valid date.";
        }

        if (!EpochMilliseconds().IsMatch(value) || !long.TryParse(value, CultureInfo.InvariantCulture, out var ms))
        {
            return $"{value} is not a valid date: use epoch milliseconds at midnight UTC, or YYYY-MM-DD.";
        }

        var sinceMidnight = ((ms % 86_400_000) + 86_400_000) % 86_400_000;
        return sinceMidnight == 0 ? null : $"{value} is at {TimeSpan.FromMilliseconds(sinceMidnight):hh\\:mm\\:ss\\.fff} UTC, not midnight: a date property holds midnight UTC of its day.";
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")]
    private static partial Regex Number();

    [GeneratedRegex("^-?[0-9]{1,16}$")]
    private static partial Regex EpochMilliseconds();

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$")]
    private static partial Regex IsoDateTime();
}
