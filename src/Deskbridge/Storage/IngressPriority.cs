using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Deskbridge.Storage;

/// <summary>
/// SQLite has one writer at a time, and a writer that finds the database busy sleeps in steps of up to 100 ms.
/// Webhook acknowledgements must not wait behind background processing, so while webhook batches are queued or being
/// committed, every other SaveChanges (processing, admin) waits for the inbox to go idle first (for a bounded time,
/// so background work is slowed down, never starved).
/// </summary>
public sealed class IngressPriority
{
    private static readonly TimeSpan LongestYield = TimeSpan.FromMilliseconds(250);
    private readonly Lock _sync = new();
    private int _active;
    private TaskCompletionSource _idle = Completed();

    /// <summary>Marks one webhook batch as waiting or being written, until disposed.</summary>
    public IDisposable Begin()
    {
        lock (_sync)
        {
            if (_active++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        return new Mark(this);
    }

    public Task WhenIdleAsync(CancellationToken ct)
    {
        Task wait;
        lock (_sync)
        {
            wait = _idle.Task;
        }
        return wait.IsCompleted ? Task.CompletedTask : wait.WaitAsync(LongestYield, ct).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    internal SaveChangesInterceptor Interceptor => new YieldInterceptor(this);

    private void End()
    {
        lock (_sync)
        {
            if (--_active == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    private sealed class Mark(IngressPriority owner) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                owner.End();
            }
        }
    }

    private sealed class YieldInterceptor(IngressPriority owner) : SaveChangesInterceptor
    {
        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await owner.WhenIdleAsync(cancellationToken);
            return result;
        }
    }
}
