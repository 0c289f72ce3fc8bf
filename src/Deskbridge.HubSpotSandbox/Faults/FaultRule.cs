using System.Text.RegularExpressions;

namespace Deskbridge.HubSpotSandbox.Faults;

public enum FaultKind
{
    /// <summary>Answer with a 5xx (or any) status and HubSpot's error body.</summary>
    Error,

    /// <summary>Answer 429 with HubSpot's RATE_LIMITS body and optional Retry-After.</summary>
    RateLimit,

    /// <summary>Wait, then answer normally.</summary>
    Delay,

    /// <summary>Hang far longer than any client timeout (until the caller gives up).</summary>
    Timeout,
}

/// <summary>Admin request to inject a fault. Method "*" (or null) matches any verb; the path is a glob where
/// "*" matches one path segment and "**" any number. Count limits it to the next N matching calls,
/// probability to a fraction of them; with neither it fires on every matching call until cleared.</summary>
public sealed record FaultRequest(
    string PathPattern,
    FaultKind Kind = FaultKind.Error,
    string? Method = null,
    int? StatusCode = null,
    int? RetryAfterSeconds = null,
    int? DelayMilliseconds = null,
    int? Count = null,
    double? Probability = null,
    string? PolicyName = null);

public sealed class FaultRule
{
    private readonly Regex _path;

    public FaultRule(string id, FaultRequest request)
    {
        Id = id;
        Request = request;
        Remaining = request.Count;
        _path = GlobToRegex(request.PathPattern);
    }

    public string Id { get; }
    public FaultRequest Request { get; }
    public int? Remaining { get; set; }
    public int Hits { get; set; }

    public bool Matches(string method, string path) =>
        (string.IsNullOrEmpty(Request.Method) || Request.Method == "*" || string.Equals(Request.Method, method, StringComparison.OrdinalIgnoreCase))
        && _path.IsMatch(path);

    private static Regex GlobToRegex(string glob)
    {
        var pattern = Regex.Escape(glob.TrimEnd('/'))
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal);
        return new Regex("^" + pattern + "/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
