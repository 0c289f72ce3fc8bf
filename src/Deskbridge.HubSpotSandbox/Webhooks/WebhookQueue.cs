using System.Threading.Channels;

namespace Deskbridge.HubSpotSandbox.Webhooks;

public sealed record OutgoingBatch(string BatchId, IReadOnlyList<WebhookEvent> Events, int AttemptNumber, DateTimeOffset DueAt, int Generation);

/// <summary>Pending events and scheduled retries, plus the throttle: at most N events per rolling second and
/// at most N requests in flight, where N is the app's throttle setting.</summary>
public sealed class WebhookQueue(TimeProvider time)
{
    public const int MaxBatchSize = 100;
    private static readonly TimeSpan ThrottleWindow = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Queue<WebhookEvent> _pending = new();
    private readonly List<OutgoingBatch> _retries = [];
    private readonly Queue<(DateTimeOffset At, int Count)> _sent = new();
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _inFlight;
    private int _generation;
    private bool _paused;

    public bool Paused
    {
        get { lock (_lock) { return _paused; } }
    }

    public int PendingEvents
    {
        get { lock (_lock) { return _pending.Count + _retries.Sum(r => r.Events.Count); } }
    }

    public int Generation
    {
        get { lock (_lock) { return _generation; } }
    }

    public void Enqueue(IEnumerable<WebhookEvent> events)
    {
        lock (_lock)
        {
            foreach (var e in events)
            {
                _pending.Enqueue(e);
            }
        }

        Wake();
    }

    public void ScheduleRetry(OutgoingBatch batch)
    {
        lock (_lock)
        {
            if (batch.Generation == _generation)
            {
                _retries.Add(batch);
            }
        }

        Wake();
    }

    public void SetPaused(bool paused)
    {
        lock (_lock)
        {
            _paused = paused;
        }

        Wake();
    }

    public void Completed()
    {
        lock (_lock)
        {
            _inFlight--;
        }

        Wake();
    }

    /// <summary>Drops everything queued; in-flight batches of the old generation are not retried.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _pending.Clear();
            _retries.Clear();
            _sent.Clear();
            _paused = false;
            _generation++;
        }

        Wake();
    }

    /// <summary>The next batch allowed by the throttle, or how long to wait before asking again (null: until woken).</summary>
    public (OutgoingBatch? Batch, TimeSpan? Wait) TakeNext(int eventsPerSecond)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            while (_sent.Count > 0 && _sent.Peek().At <= now - ThrottleWindow)
            {
                _sent.Dequeue();
            }

            var nextRetryDue = _retries.Count == 0 ? (DateTimeOffset?)null : _retries.Min(r => r.DueAt);
            var hasWork = _pending.Count > 0 || nextRetryDue <= now;
            if (_paused || !hasWork)
            {
                return (null, _paused || nextRetryDue is null ? null : nextRetryDue - now);
            }

            var windowFreesIn = _sent.Count == 0 ? TimeSpan.Zero : _sent.Peek().At + ThrottleWindow - now;
            if (_inFlight >= eventsPerSecond)
            {
                return (null, null); // woken when a request completes
            }

            var budget = eventsPerSecond - _sent.Sum(s => s.Count);
            var due = _retries.Where(r => r.DueAt <= now).OrderBy(r => r.DueAt).FirstOrDefault();
            OutgoingBatch? batch = null;
            if (due is not null)
            {
                // A retry is re-sent whole; it waits until the window has room (or is empty).
                if (due.Events.Count <= budget || _sent.Count == 0)
                {
                    _retries.Remove(due);
                    batch = due;
                }
            }
            else if (budget > 0)
            {
                var events = new List<WebhookEvent>();
                while (events.Count < Math.Min(MaxBatchSize, budget) && _pending.TryDequeue(out var e))
                {
                    events.Add(e);
                }

                batch = new OutgoingBatch(Guid.NewGuid().ToString("N"), events, 0, now, _generation);
            }

            if (batch is null)
            {
                return (null, windowFreesIn > TimeSpan.Zero ? windowFreesIn : TimeSpan.FromMilliseconds(10));
            }

            _sent.Enqueue((now, batch.Events.Count));
            _inFlight++;
            return (batch, null);
        }
    }

    public async Task WaitAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
        {
            cts.CancelAfter(t < TimeSpan.Zero ? TimeSpan.Zero : t);
        }

        try
        {
            await _signal.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: time to look at the queue again.
        }
    }

    private void Wake() => _signal.Writer.TryWrite(true);
}
