using System.Threading.Channels;

namespace Deskbridge.HubSpotSandbox.Webhooks;

/// <param name="FirstFailedAt">When the first attempt failed: HubSpot's 24-hour retry window starts then.</param>
public sealed record OutgoingBatch(string BatchId, IReadOnlyList<WebhookEvent> Events, int AttemptNumber, DateTimeOffset DueAt, int Generation,
    DateTimeOffset? FirstFailedAt = null);

/// <summary>Pending events and scheduled retries, plus HubSpot's throttle: at most N requests in flight, where N is the
/// app's <c>maxConcurrentRequests</c>; each request carries up to 100 events.</summary>
public sealed class WebhookQueue(TimeProvider time)
{
    public const int MaxBatchSize = 100;

    private readonly Lock _lock = new();
    private readonly Queue<WebhookEvent> _pending = new();
    private readonly List<OutgoingBatch> _retries = [];
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
            _paused = false;
            _generation++;
        }

        Wake();
    }

    /// <summary>The next batch allowed by the throttle, or how long to wait before asking again (null: until woken).</summary>
    public (OutgoingBatch? Batch, TimeSpan? Wait) TakeNext(int maxConcurrentRequests)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var nextRetryDue = _retries.Count == 0 ? (DateTimeOffset?)null : _retries.Min(r => r.DueAt);
            var hasWork = _pending.Count > 0 || nextRetryDue <= now;
            if (_paused || !hasWork)
            {
                return (null, _paused || nextRetryDue is null ? null : nextRetryDue - now);
            }

            if (_inFlight >= maxConcurrentRequests)
            {
                return (null, null); // woken when a request completes
            }

            // A due retry goes first and is re-sent whole, exactly as it was (HubSpot re-sends identical events).
            var batch = _retries.Where(r => r.DueAt <= now).OrderBy(r => r.DueAt).FirstOrDefault();
            if (batch is not null)
            {
                _retries.Remove(batch);
            }
            else
            {
                var events = new List<WebhookEvent>(Math.Min(MaxBatchSize, _pending.Count));
                while (events.Count < MaxBatchSize && _pending.TryDequeue(out var e))
                {
                    events.Add(e);
                }

                batch = new OutgoingBatch(Guid.NewGuid().ToString("N"), events, 0, now, _generation);
            }

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
