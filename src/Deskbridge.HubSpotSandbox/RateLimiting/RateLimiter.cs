namespace Deskbridge.HubSpotSandbox.RateLimiting;

public sealed record RateLimitDecision(bool Allowed, string? PolicyName, RateLimitSettings Settings, int BurstRemaining, int DailyRemaining);

/// <summary>HubSpot's private-app limits: a rolling 10 s burst window per app, a daily count per account
/// (reset at UTC midnight here), and 5 searches per second per account, searches counting against the 10 s
/// window as well. One app and one account here.</summary>
public sealed class RateLimiter
{
    public const string TenSecondlyRolling = "TEN_SECONDLY_ROLLING";
    public const string Secondly = "SECONDLY";
    public const string Daily = "DAILY";

    private static readonly TimeSpan BurstWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SearchWindow = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _burst = new();
    private readonly Queue<DateTimeOffset> _search = new();
    private readonly SandboxOptions _options;
    private readonly TimeProvider _time;
    private RateLimitSettings _settings;
    private DateOnly _day;
    private int _dailyCount;

    public RateLimiter(SandboxOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _settings = FromOptions(options);
    }

    public RateLimitSettings Settings
    {
        get { lock (_lock) { return _settings; } }
    }

    /// <summary>Changing the limits also clears the counters, so a test starts from a known state.</summary>
    public void Configure(RateLimitSettings settings)
    {
        lock (_lock)
        {
            _settings = settings;
            ClearCounters();
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _settings = FromOptions(_options);
            ClearCounters();
        }
    }

    public RateLimitDecision TryAcquire(bool isSearch)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            if (today != _day)
            {
                _day = today;
                _dailyCount = 0;
            }

            Trim(_burst, now - BurstWindow);
            Trim(_search, now - SearchWindow);

            if (_dailyCount >= _settings.DailyRequestLimit)
            {
                return Decision(false, Daily);
            }

            // A search is an API call like any other: it counts against the 10-second window too, on top of the
            // search limit of its own. A refused call counts against nothing.
            if (isSearch && _search.Count >= _settings.SearchRequestsPerSecond)
            {
                return Decision(false, Secondly);
            }

            if (_burst.Count >= _settings.RequestsPer10Seconds)
            {
                return Decision(false, TenSecondlyRolling);
            }

            if (isSearch)
            {
                _search.Enqueue(now);
            }

            _burst.Enqueue(now);

            _dailyCount++;
            return Decision(true, null);
        }
    }

    private RateLimitDecision Decision(bool allowed, string? policy) => new(
        allowed,
        policy,
        _settings,
        Math.Max(0, _settings.RequestsPer10Seconds - _burst.Count),
        Math.Max(0, _settings.DailyRequestLimit - _dailyCount));

    private void ClearCounters()
    {
        _burst.Clear();
        _search.Clear();
        _dailyCount = 0;
    }

    private static void Trim(Queue<DateTimeOffset> window, DateTimeOffset cutoff)
    {
        while (window.Count > 0 && window.Peek() <= cutoff)
        {
            window.Dequeue();
        }
    }

    private static RateLimitSettings FromOptions(SandboxOptions options) =>
        new(options.RequestsPer10Seconds, options.SearchRequestsPerSecond, options.DailyRequestLimit);
}
