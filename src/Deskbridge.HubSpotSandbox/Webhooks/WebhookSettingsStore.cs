namespace Deskbridge.HubSpotSandbox.Webhooks;

/// <summary>App webhook settings. <see cref="MaxConcurrentRequests"/> is HubSpot's throttle: requests in flight at once.
/// <see cref="Period"/> is kept and echoed as HubSpot does; it does not change the in-flight limit.</summary>
public sealed record WebhookSettings(string? TargetUrl, int MaxConcurrentRequests, string Period, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed class WebhookSettingsStore
{
    private readonly Lock _lock = new();
    private readonly SandboxOptions _options;
    private readonly TimeProvider _time;
    private WebhookSettings _settings = null!;

    public WebhookSettingsStore(SandboxOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        Reset();
    }

    public WebhookSettings Current
    {
        get { lock (_lock) { return _settings; } }
    }

    public WebhookSettings Update(string? targetUrl, int? maxConcurrentRequests, string? period = null)
    {
        lock (_lock)
        {
            _settings = _settings with
            {
                TargetUrl = targetUrl,
                MaxConcurrentRequests = Math.Max(1, maxConcurrentRequests ?? _settings.MaxConcurrentRequests),
                Period = period ?? _settings.Period,
                UpdatedAt = _time.GetUtcNow(),
            };
            return _settings;
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _settings = new WebhookSettings(_options.WebhookTargetUrl, Math.Max(1, _options.WebhookMaxConcurrentRequests), "SECONDLY", now, now);
        }
    }
}
