using System.Threading.Channels;
using Deskbridge.Processing;
using Deskbridge.Storage;

namespace Deskbridge.Webhooks;

/// <summary>
/// Group commit: webhook requests that arrive while a transaction is being written wait for the next one and share
/// it, so the cost of a durable commit (an fsync) is paid once per group instead of once per request. Each request
/// still gets its 200 only after the transaction holding its events committed.
/// </summary>
public sealed partial class InboxBatcher(IServiceScopeFactory scopes, InboxSignal signal, IngressPriority priority,
    Microsoft.Extensions.Options.IOptions<StorageOptions> storage, ILogger<InboxBatcher> logger) : BackgroundService
{
    private const int MaxEventsPerTransaction = 5000;

    private readonly Channel<PendingWrite> queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

    public Task<InboxWriteResult> WriteAsync(IncomingBatch batch, CancellationToken ct)
    {
        var pending = new PendingWrite(batch, new TaskCompletionSource<InboxWriteResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        var mark = priority.Begin();
        _ = pending.Completion.Task.ContinueWith(_ => mark.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (!queue.Writer.TryWrite(pending))
        {
            pending.Completion.TrySetException(new InvalidOperationException("The inbox is shutting down."));
        }
        // The caller may give up waiting (client went away, or storage is locked past the ingress deadline: the
        // TimeoutException becomes a 503), but the write itself is not abandoned halfway.
        return pending.Completion.Task.WaitAsync(storage.Value.IngressWriteTimeout, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<PendingWrite>();
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                group.Clear();
                var events = 0;
                while (events < MaxEventsPerTransaction && queue.Reader.TryRead(out var next))
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
            queue.Writer.TryComplete();
            while (queue.Reader.TryRead(out var left))
            {
                left.Completion.TrySetException(new InvalidOperationException("The inbox is shutting down."));
            }
        }
    }

    private async Task CommitAsync(List<PendingWrite> group)
    {
        try
        {
            var results = await WriteGroupAsync(group.Select(g => g.Batch).ToList());
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Completion.TrySetResult(results[i]);
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

    private async Task<IReadOnlyList<InboxWriteResult>> WriteGroupAsync(IReadOnlyList<IncomingBatch> batches)
    {
        await using var scope = scopes.CreateAsyncScope();
        // Not cancelled by shutdown: a transaction that started is finished, so its callers get a true answer.
        return await scope.ServiceProvider.GetRequiredService<InboxWriter>().WriteAsync(batches, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} webhook requests could not be stored together; storing them one by one")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, int count);

    private sealed record PendingWrite(IncomingBatch Batch, TaskCompletionSource<InboxWriteResult> Completion);
}
