using System.Diagnostics.Metrics;
using Deskbridge.Storage;
using Deskbridge.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Inbox;

/// <summary>
/// O3: the inbox's gauges on the service's meter: how many events wait for a fate, and for how long the oldest has.
/// A hosted service only so that the host creates it at start: the gauges exist before the first event.
/// </summary>
public sealed class InboxMetrics : IHostedService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;

    public InboxMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time)
    {
        _scopes = scopes;
        _time = time;
        var meter = meters.Create(DeskbridgeTelemetry.Name, "1.0");
        meter.CreateObservableGauge("deskbridge.inbox.depth", ReadInboxDepth, "{event}", "Events in the inbox that have no fate yet");
        meter.CreateObservableGauge("deskbridge.inbox.oldest_pending_age", ReadOldestPendingAge, "s", "Age of the oldest event still pending");
    }

    private long ReadInboxDepth()
    {
        try
        {
            using var scope = _scopes.CreateScope();
            return scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().InboxEvents.LongCount(e => e.Status == EventStatus.Pending);
        }
        catch (Exception)
        {
            return 0; // a collection must never throw (database gone during shutdown)
        }
    }

    private double ReadOldestPendingAge()
    {
        try
        {
            using var scope = _scopes.CreateScope();
            var oldest = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().InboxEvents.AsNoTracking()
                .Where(e => e.Status == EventStatus.Pending).OrderBy(e => e.Id).Select(e => (DateTimeOffset?)e.ReceivedAt).FirstOrDefault();
            return oldest is { } at ? Math.Max(0, (_time.GetUtcNow() - at).TotalSeconds) : 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
