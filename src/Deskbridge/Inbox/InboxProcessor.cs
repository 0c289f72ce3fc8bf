using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Inbox;

/// <summary>
/// Drains the durable inbox. Only the earliest unfinished event of each thread (or ticket, by occurredAt) is eligible, so one
/// thread's messages are handled in order while different threads run in parallel, up to
/// <see cref="ProcessingOptions.MaxConcurrency"/>. A deferred event (C3) blocks its thread but holds no worker.
/// After a crash every event still pending is simply eligible again.
/// </summary>
public sealed partial class InboxProcessor(
    IServiceScopeFactory scopes,
    InboxSignal signal,
    ParkedOrganizations parked,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    ILogger<InboxProcessor> logger) : BackgroundService
{
    // Every finished event wakes the loop; under a backlog, looking at most this often keeps the scans from
    // costing more than the work they hand out.
    private static readonly TimeSpan MinScanInterval = TimeSpan.FromMilliseconds(20);
    private readonly Dictionary<(Guid, string), Task> running = [];
    private readonly Lock runningLock = new();

    // Ordering keys whose oldest event waits (C3 email delay, retry backoff), and until when. Only the scan loop
    // touches it. Keyed by ordering key alone: another organization's thread with the same id waits along, at worst
    // until this due time.
    private readonly Dictionary<string, DateTimeOffset> waiting = new(StringComparer.Ordinal);

    // Events whose run failed before any fate or retry could be written (storage down): how often in a row, and the
    // ordering key's wait that the scan loop picks up. In memory only: storage is what failed.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, int> unrecorded = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> backingOff = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await DispatchDueEventsAsync(stoppingToken);
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScanFailed(logger, ex);
                wait = options.Value.PollInterval;
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken);
                await Task.Delay(MinScanInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Task[] inFlight;
        lock (runningLock)
        {
            inFlight = [.. running.Values];
        }
        await Task.WhenAll(inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <returns>How long to sleep before the next look, unless woken earlier.</returns>
    private async Task<TimeSpan> DispatchDueEventsAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var now = time.GetUtcNow();
        foreach (var (key, until) in backingOff)
        {
            backingOff.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
            waiting[key] = waiting.TryGetValue(key, out var other) && other > until ? other : until;
        }
        foreach (var due in waiting.Where(w => w.Value <= now).Select(w => w.Key).ToList())
        {
            waiting.Remove(due);
        }
        // C9: organizations whose HubSpot circuit is open are not even looked at until the break ends.
        var (parkedOrganizations, parkedUntil) = parked.Now();

        // Threads that cannot move now (one of their events is running or waiting) are left out of the scan, so a
        // pile of delayed emails or one long thread never hides the events behind them.
        List<string> blocked;
        lock (runningLock)
        {
            blocked = [.. running.Keys.Select(k => k.Item2), .. waiting.Keys];
        }
        var pending = await db.InboxEvents.AsNoTracking()
            .Where(e => e.Status == EventStatus.Pending && !blocked.Contains(e.OrderingKey) && !parkedOrganizations.Contains(e.OrganizationId))
            .OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.OrganizationId, e.OrderingKey, e.NextAttemptAt, e.OccurredAt })
            .Take(settings.ScanSize)
            .ToListAsync(ct);

        var wait = settings.PollInterval;
        // HubSpot does not deliver in order (concurrent requests, retries): a thread's head is the pending event that
        // happened first (occurredAt), arrival order breaking ties. It matters most after an outage, when a thread has
        // several messages waiting. Ticket edits keep arrival order: their handler keeps the newest value by occurredAt.
        foreach (var head in pending.GroupBy(e => (e.OrganizationId, e.OrderingKey))
            .Select(g => g.Key.OrderingKey.StartsWith("thread:", StringComparison.Ordinal) ? g.MinBy(e => (e.OccurredAt ?? long.MaxValue, e.Id))! : g.First()))
        {
            var key = (head.OrganizationId, head.OrderingKey);
            if (head.NextAttemptAt is { } due && due > now)
            {
                waiting[head.OrderingKey] = due;
                continue;
            }

            lock (runningLock)
            {
                if (running.Count >= settings.MaxConcurrency)
                {
                    break;
                }
                if (running.ContainsKey(key))
                {
                    continue;
                }
                running[key] = RunAsync(key, head.Id, ct);
            }
        }
        foreach (var due in waiting.Values.Append(parkedUntil ?? DateTimeOffset.MaxValue))
        {
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks, (due - now).Ticks));
        }
        return wait < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : wait;
    }

    private async Task RunAsync((Guid, string) key, long eventId, CancellationToken ct)
    {
        // Leave the scan loop before doing any work.
        await Task.Yield();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<EventRunner>().RunAsync(eventId, ct);
            unrecorded.TryRemove(eventId, out _);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the event stays pending and is picked up after the restart.
        }
        catch (ObjectDisposedException)
        {
            // The host is going away under us; the event stays pending.
        }
        catch (Exception ex)
        {
            // Storage refused even the event's own bookkeeping. Back off (doubling, capped) instead of spinning; the
            // event keeps its place and gets its fate once storage takes writes again.
            var failures = unrecorded.AddOrUpdate(eventId, 1, (_, n) => n + 1);
            var settings = options.Value;
            var delay = settings.PollInterval * Math.Pow(2, Math.Min(failures - 1, 20));
            delay = delay < settings.MaxRetryDelay ? delay : settings.MaxRetryDelay;
            backingOff[key.Item2] = time.GetUtcNow() + delay;
            LogRunFailed(logger, ex, eventId, failures, delay);
        }
        finally
        {
            lock (runningLock)
            {
                running.Remove(key);
            }
            signal.Notify();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scanning the inbox failed")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing event {EventId} failed before its outcome could be stored ({Failures} in a row); it stays pending, next look in {Delay}")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, long eventId, int failures, TimeSpan delay);
}
