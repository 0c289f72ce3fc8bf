using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Deskbridge.HubSpot;

/// <summary>
/// Keeps each portal under HubSpot's limits on our side (a rolling 10-second budget plus the search
/// endpoints' per-second limit), so calls wait their turn instead of running into 429s.
/// Sits inside the retry pipeline: every attempt spends a permit, as it does at HubSpot.
/// The in-process limiter queues this instance's calls (no database work while it makes a call wait); the permit it
/// grants is then taken from the budget all instances share (<see cref="SharedPortalBudget"/>), since HubSpot counts
/// every instance's calls together.
/// </summary>
public sealed class PortalRateLimitHandler(PortalRateLimiters limiters, SharedPortalBudget shared, IOptions<HubSpotOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var portal = HubSpotClient.PortalOf(request).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var isSearch = request.RequestUri?.AbsolutePath.EndsWith("/search", StringComparison.Ordinal) == true;

        using var general = await limiters.AcquireAsync(portal, search: false, cancellationToken);
        using var search = isSearch ? await limiters.AcquireAsync(portal, search: true, cancellationToken) : null;
        await shared.TakeAsync(portal, options.Value.RequestsPer10Seconds, 10, cancellationToken);
        if (isSearch)
        {
            await shared.TakeAsync($"{portal}:search", options.Value.SearchRequestsPerSecond, 1, cancellationToken);
        }
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>One limiter per portal (and one more for its search calls), shared by every HubSpot call of this process.</summary>
public sealed class PortalRateLimiters(IOptions<HubSpotOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, RateLimiter> _limiters = new();

    public async Task<RateLimitLease> AcquireAsync(string portal, bool search, CancellationToken cancellationToken)
    {
        var limiter = _limiters.GetOrAdd(search ? $"{portal}:search" : portal, _ => search ? CreateSearchLimiter() : CreateTenSecondLimiter());
        var lease = await limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new HttpRequestException("The client-side HubSpot rate limit queue is full.");
        }
        return lease;
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private SlidingWindowRateLimiter CreateTenSecondLimiter() => new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = options.Value.RequestsPer10Seconds,
        Window = TimeSpan.FromSeconds(10),
        SegmentsPerWindow = 10,
        QueueLimit = 10_000,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private SlidingWindowRateLimiter CreateSearchLimiter() => new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = options.Value.SearchRequestsPerSecond,
        Window = TimeSpan.FromSeconds(1),
        SegmentsPerWindow = 4,
        QueueLimit = 10_000,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });
}
