using System.Collections.Concurrent;

namespace Deskbridge.HubSpot;

/// <summary>
/// When each portal's circuit breaker closes again, as the pipeline reported it. A call refused by an open circuit says
/// nothing about when to come back; this does, so waiting events are parked exactly that long (C9).
/// </summary>
public sealed class HubSpotCircuits(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _openUntil = new();

    internal void Opened(long portalId, TimeSpan breakDuration) => _openUntil[portalId] = time.GetUtcNow() + breakDuration;

    internal void Closed(long portalId) => _openUntil.TryRemove(portalId, out _);

    /// <summary>The end of the portal's current break; null when its circuit is closed or half-open (a trial call decides).</summary>
    public DateTimeOffset? OpenUntil(long portalId) =>
        _openUntil.TryGetValue(portalId, out var until) && until > time.GetUtcNow() ? until : null;
}
