using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Inbox;

/// <summary>
/// Drains the durable inbox. Only the earliest unfinished event of each thread (or ticket, by occurredAt) is eligible, so one
/// thread's messages are handled in order while different threads run in parallel, up to
/// <see cref="ProcessingOptions.MaxConcurrency"/>. A deferred event (C3) blocks its thread but holds no worker.
/// After a crash every event still pending is simply eligible again.
/// Several instances may drain one database: an instance runs a thread's head event only while it holds the thread's
/// lease (<see cref="InboxLeases"/>), renewed while the event runs and released once it has its fate or its next
/// attempt time; a killed instance's leases run out and another instance takes the thread over. Everything that decides
/// when an event may run (C3 delays, backoff, parking) is stored on the event, so every instance sees the same.
/// </summary>
public sealed partial class InboxProcessor(
    IServiceScopeFactory scopes,
    InboxSignal signal,
    ParkedOrganizations parked,
    InboxLeases leases,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    ILogger<InboxProcessor> logger) : BackgroundService
{
    // Every finished event wakes the loop; under a backlog, looking at most this often keeps the scans from
    // costing more than the work they hand out.
    private static readonly TimeSpan MinScanInterval = TimeSpan.FromMilliseconds(20);
    private readonly Dictionary<(Guid, string), Task> _running = [];
    private readonly Lock _runningLock = new();

    // Ordering keys whose oldest event waits (C3 email delay, retry backoff), and until when. Only the scan loop
    // touches it. Keyed by ordering key alone: another organization's thread with the same id waits along, at worst
    // until this due time.
    private readonly Dictionary<string, DateTimeOffset> _waiting = new(StringComparer.Ordinal);

    // Events whose run failed before any fate or retry could be written (storage down): how often in a row, and the
    // ordering key's wait that the scan loop picks up. In memory only: storage is what failed.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, int> _unrecorded = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _backingOff = new(StringComparer.Ordinal);

    // Keys whose run ended: their leases are given back at the start of the next scan, all in one statement.
    private readonly System.Collections.Concurrent.ConcurrentQueue<(Guid, string)> _finished = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        LogStarted(logger, leases.Owner, options.Value.LeaseDuration);

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
        lock (_runningLock)
        {
            inFlight = [.. _running.Values];
        }
        await Task.WhenAll(inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await ReleaseFinishedAsync(scope.ServiceProvider.GetRequiredService<DeskbridgeDb>(), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // They run out by themselves.
            LogReleaseFailed(logger, ex);
        }
    }

    private async Task ReleaseFinishedAsync(DeskbridgeDb db, CancellationToken ct)
    {
        var keys = new HashSet<(Guid, string)>();
        while (_finished.TryDequeue(out var key))
        {
            keys.Add(key);
        }
        // A key that finished and was claimed again before this (a run that ended during the last scan) is running
        // under the same lease now: giving it back would let another instance run the thread beside it. Its current
        // run queues it again when it ends. Only the scan loop starts runs, so none starts while this writes.
        lock (_runningLock)
        {
            keys.RemoveWhere(_running.ContainsKey);
        }
        try
        {
            await leases.ReleaseAsync(db, keys, ct);
        }
        catch
        {
            foreach (var key in keys)
            {
                _finished.Enqueue(key);
            }
            throw;
        }
    }

    /// <returns>How long to sleep before the next look, unless woken earlier.</returns>
    private async Task<TimeSpan> DispatchDueEventsAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        // Before anything is claimed again: a key that just finished may be this scan's to claim anew.
        await ReleaseFinishedAsync(db, ct);
        var now = time.GetUtcNow();
        foreach (var (key, until) in _backingOff)
        {
            _backingOff.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
            _waiting[key] = _waiting.TryGetValue(key, out var other) && other > until ? other : until;
        }
        foreach (var due in _waiting.Where(w => w.Value <= now).Select(w => w.Key).ToList())
        {
            _waiting.Remove(due);
        }
        // C9: organizations whose HubSpot circuit is open are not even looked at until the break ends.
        var (parkedOrganizations, parkedUntil) = parked.Now();

        // Threads that cannot move now (one of their events is running or waiting) are left out of the scan, so a
        // pile of delayed emails or one long thread never hides the events behind them.
        List<string> blocked;
        lock (_runningLock)
        {
            blocked = [.. _running.Keys.Select(k => k.Item2), .. _waiting.Keys];
        }
        // Threads another instance holds are left out too: their head is that instance's to run.
        var owner = leases.Owner;
        var nowMs = now.ToUnixTimeMilliseconds();
        var pending = await db.InboxEvents.AsNoTracking()
            .Where(e => e.Status == EventStatus.Pending && !blocked.Contains(e.OrderingKey) && !parkedOrganizations.Contains(e.OrganizationId))
            .Where(e => !db.InboxLeases.Any(l => l.OrganizationId == e.OrganizationId && l.OrderingKey == e.OrderingKey && l.Owner != owner && l.ExpiresAt >= nowMs))
            .OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.OrganizationId, e.OrderingKey, e.NextAttemptAt, e.OccurredAt })
            .Take(settings.ScanSize)
            .ToListAsync(ct);

        var wait = settings.PollInterval;
        // HubSpot does not deliver in order (concurrent requests, retries): a thread's head is the pending event that
        // happened first (occurredAt), arrival order breaking ties. It matters most after an outage, when a thread has
        // several messages waiting. Ticket edits keep arrival order: their handler keeps the newest value by occurredAt.
        var heads = new List<((Guid, string) Key, long Id)>();
        int free;
        lock (_runningLock)
        {
            free = settings.MaxConcurrency - _running.Count;
        }
        foreach (var head in pending.GroupBy(e => (e.OrganizationId, e.OrderingKey))
            .Select(g => g.Key.OrderingKey.StartsWith("thread:", StringComparison.Ordinal) ? g.MinBy(e => (e.OccurredAt ?? long.MaxValue, e.Id))! : g.First()))
        {
            if (head.NextAttemptAt is { } due && due > now)
            {
                _waiting[head.OrderingKey] = due;
                continue;
            }
            if (heads.Count >= free)
            {
                break;
            }
            heads.Add(((head.OrganizationId, head.OrderingKey), head.Id));
        }

        if (heads.Count > 0)
        {
            // One statement claims the scan's keys; the ones another instance holds are simply not ours this time.
            var claimed = await leases.TryClaimAsync(db, [.. heads.Select(h => h.Key)], ct);
            var ids = heads.Where(h => claimed.Contains(h.Key)).Select(h => h.Id).ToList();
            // The scan's view may be stale by now: another instance may have run the event meanwhile (it may even
            // wait for its next attempt now). Only what is still due is run; the other keys are given back.
            var stillDue = (await db.InboxEvents.AsNoTracking().Where(e => ids.Contains(e.Id) && e.Status == EventStatus.Pending)
                    .Select(e => new { e.Id, e.NextAttemptAt }).ToListAsync(ct))
                .Where(e => e.NextAttemptAt is not { } due || due <= time.GetUtcNow()).Select(e => e.Id).ToHashSet();
            foreach (var (key, id) in heads.Where(h => claimed.Contains(h.Key)))
            {
                if (!stillDue.Contains(id))
                {
                    _finished.Enqueue(key);
                    continue;
                }
                lock (_runningLock)
                {
                    _running[key] = RunAsync(key, id, ct);
                }
            }
        }
        foreach (var due in _waiting.Values.Append(parkedUntil ?? DateTimeOffset.MaxValue))
        {
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks, (due - now).Ticks));
        }
        return wait < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : wait;
    }

    private async Task RunAsync((Guid, string) key, long eventId, CancellationToken ct)
    {
        // Leave the scan loop before doing any work.
        await Task.Yield();
        var (organizationId, orderingKey) = key;
        try
        {
            using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var stopRenewing = new CancellationTokenSource();
            var renewing = RenewWhileRunningAsync(organizationId, orderingKey, leaseLost, stopRenewing.Token);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<EventRunner>().RunAsync(eventId, leaseLost.Token);
                _unrecorded.TryRemove(eventId, out _);
            }
            finally
            {
                await stopRenewing.CancelAsync();
                await renewing;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the event stays pending and is picked up after the restart.
        }
        catch (OperationCanceledException)
        {
            // The lease ran out under us (this instance stalled) and another instance has the thread now; the event
            // stays pending for it. A reply already posted is found again by its intent and the look-up on the thread.
        }
        catch (ObjectDisposedException)
        {
            // The host is going away under us; the event stays pending.
        }
        catch (Exception ex)
        {
            // Storage refused even the event's own bookkeeping. Back off (doubling, capped) instead of spinning; the
            // event keeps its place and gets its fate once storage takes writes again.
            var failures = _unrecorded.AddOrUpdate(eventId, 1, (_, n) => n + 1);
            var settings = options.Value;
            var delay = settings.PollInterval * Math.Pow(2, Math.Min(failures - 1, 20));
            delay = delay < settings.MaxRetryDelay ? delay : settings.MaxRetryDelay;
            _backingOff[orderingKey] = time.GetUtcNow() + delay;
            LogRunFailed(logger, ex, eventId, failures, delay);
        }
        finally
        {
            _finished.Enqueue(key);
            lock (_runningLock)
            {
                _running.Remove(key);
            }
            signal.Notify();
        }
    }

    private async Task RenewWhileRunningAsync(Guid organizationId, string orderingKey, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var every = options.Value.LeaseDuration / 3;
        try
        {
            while (true)
            {
                await Task.Delay(every, time, stop);
                // Its own DbContext: the runner's is busy with the event.
                await using var scope = scopes.CreateAsyncScope();
                if (!await leases.RenewAsync(scope.ServiceProvider.GetRequiredService<DeskbridgeDb>(), organizationId, orderingKey, stop))
                {
                    LogLeaseLost(logger, leases.Owner, orderingKey);
                    await leaseLost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is not ObjectDisposedException)
        {
            // Storage is unreachable: the lease may run out, and the run's own writes will fail the same way.
            LogRenewFailed(logger, ex, orderingKey);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox processor started as instance {Instance} (leases last {LeaseDuration})")]
    private static partial void LogStarted(ILogger logger, string instance, TimeSpan leaseDuration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {Instance} lost the lease on {OrderingKey} while running its event; another instance takes it over")]
    private static partial void LogLeaseLost(ILogger logger, string instance, string orderingKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lease on {OrderingKey} failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string orderingKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Giving back this instance's finished leases failed at shutdown; they run out by themselves")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scanning the inbox failed")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing event {EventId} failed before its outcome could be stored ({Failures} in a row); it stays pending, next look in {Delay}")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, long eventId, int failures, TimeSpan delay);
}
