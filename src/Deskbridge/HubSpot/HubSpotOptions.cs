namespace Deskbridge.HubSpot;

public sealed class HubSpotOptions
{
    public const string SectionName = "HubSpot";

    public Uri BaseUrl { get; set; } = new("https://api.hubapi.com/");

    /// <summary>HubSpot's install (authorize) page for the OAuth app; its token endpoints are on <see cref="BaseUrl"/>.</summary>
    public Uri AuthorizeUrl { get; set; } = new("https://app.hubspot.com/oauth/authorize");

    /// <summary>
    /// Optional: a private app token (pat-…) to connect the "default" organization at start-up, with
    /// <see cref="DefaultUserId"/> and <see cref="ClientSecret"/>. Without it Deskbridge starts its demo on the sandbox.
    /// </summary>
    public string? AccessToken { get; set; }
    public string? DefaultUserId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>Client-side budget per portal, kept below HubSpot's smallest private-app burst limit (100 per 10 s).</summary>
    public int RequestsPer10Seconds { get; set; } = 90;

    /// <summary>CRM search is limited to 5 requests per second per account.</summary>
    public int SearchRequestsPerSecond { get; set; } = 4;

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);
    public int MaxRetries { get; set; } = 5;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Wait after a 429 that carries no Retry-After (multiplied by the attempt number).</summary>
    public TimeSpan RateLimitedDelay { get; set; } = TimeSpan.FromSeconds(1);

    public int CircuitBreakerMinimumThroughput { get; set; } = 10;
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
