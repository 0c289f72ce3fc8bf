using System.Threading.Channels;
using Deskbridge.Storage;

namespace Deskbridge.Inbox;

/// <summary>
/// Group commit: webhook requests that arrive while a transaction is being written wait for the next one and share
/// it, so the cost of a durable commit (an fsync) is paid once per group instead of once per request. Each request
/// still gets its 200 only after the transaction holding its events committed.
/// </summary>
public sealed partial class InboxBatcher(IServiceScopeFactory scopes, InboxSignal signal, IngressPriority priority,
    Microsoft.Extensions.Options.IOptions<StorageOptions> storage, ILogger<InboxBatcher> logger) : BackgroundService
{
    private const int MaxEventsPerTransaction = 5000;

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

    public Task<InboxWriteResult> WriteAsync(IncomingBatch batch, CancellationToken ct)
    {
        var pending = new PendingWrite(batch, new TaskCompletionSource<InboxWriteResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        var mark = priority.Begin();
        _ = pending.Completion.Task.ContinueWith(_ => mark.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Completion.TrySetException(new InvalidOperationException("The inbox is shutting down."));
        }
        return WaitAsync(pending, ct);
    }

    /// <summary>
    /// The caller gives up when storage is locked past the ingress deadline (the TimeoutException becomes a 503) or the
    /// client went away. It may only give up while no transaction holds its events: a 503 then means nothing was stored,
    /// and a transaction that already holds the lock is waited out, since it ends in moments.
    /// </summary>
    private async Task<InboxWriteResult> WaitAsync(PendingWrite pending, CancellationToken ct)
    {
        var wait = storage.Value.IngressWriteTimeout;
        while (true)
        {
            try
            {
                return await pending.Completion.Task.WaitAsync(wait, ct);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                if (pending.TryAbandon())
                {
                    throw;
                }
                wait = TimeSpan.FromMilliseconds(100);
                ct = CancellationToken.None;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<PendingWrite>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                group.Clear();
                var events = 0;
                while (events < MaxEventsPerTransaction && _queue.Reader.TryRead(out var next))
                {
                    group.Add(next);
                    events += next.Batch.Events.Count;
                }
                await CommitAsync(group);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Nothing queued may be left unanswered: the callers get a failure (503), and HubSpot retries.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                left.Completion.TrySetException(new InvalidOperationException("The inbox is shutting down."));
            }
        }
    }

    private async Task CommitAsync(List<PendingWrite> group)
    {
        try
        {
            var results = await WriteGroupAsync(group);
            for (var i = 0; i < group.Count; i++)
            {
                if (results[i] is { } result)
                {
                    group[i].Completion.TrySetResult(result);
                }
                else
                {
                    group[i].Completion.TrySetException(new TimeoutException("The caller gave up before its events were written."));
                }
            }
        }
        catch (Exception ex) when (group.Count > 1)
        {
            // One request's trouble must not fail its neighbours: write them one by one.
            LogGroupFailed(logger, ex, group.Count);
            foreach (var pending in group)
            {
                await CommitAsync([pending]);
            }
            return;
        }
        catch (Exception ex)
        {
            group[0].Completion.TrySetException(ex);
            return;
        }
        signal.Notify();
    }

    private async Task<IReadOnlyList<InboxWriteResult?>> WriteGroupAsync(List<PendingWrite> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        // Not cancelled by shutdown: a transaction that started is finished, so its callers get a true answer.
        return await scope.ServiceProvider.GetRequiredService<InboxWriter>()
            .WriteAsync(group.Select(g => g.Batch).ToList(), new GroupClaims(group), CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} webhook requests could not be stored together; storing them one by one")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, int count);

    private sealed class PendingWrite(IncomingBatch batch, TaskCompletionSource<InboxWriteResult> completion)
    {
        private const int Waiting = 0, Claimed = 1, Abandoned = 2;
        private int _state;

        public IncomingBatch Batch { get; } = batch;

        public TaskCompletionSource<InboxWriteResult> Completion { get; } = completion;

        /// <summary>A transaction holding the lock takes the batch; true also when an earlier try of the same writer took it.</summary>
        public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Waiting) != Abandoned;

        public void Release() => Interlocked.CompareExchange(ref _state, Waiting, Claimed);

        public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Waiting) != Claimed;
    }

    private sealed class GroupClaims(List<PendingWrite> group) : IWriteClaims
    {
        public bool Claim(int index) => group[index].TryClaim();

        public void Release(int index) => group[index].Release();
    }
}
