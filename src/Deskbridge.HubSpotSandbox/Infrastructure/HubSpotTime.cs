using System.Globalization;

namespace Deskbridge.HubSpotSandbox.Infrastructure;

internal static class HubSpotTime
{
    /// <summary>ISO-8601 with milliseconds and Z, the way HubSpot writes timestamps.</summary>
    public static string Iso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string? Iso(DateTimeOffset? value) => value is { } v ? Iso(v) : null;

    public static string EpochMillisString(DateTimeOffset value) =>
        value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
