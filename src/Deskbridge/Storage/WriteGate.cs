using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Deskbridge.Storage;

/// <summary>
/// SQLite has one writer at a time. When two of our own writers collide, SQLite's busy handler makes the loser sleep
/// in steps of up to 100 ms — which would show up as webhook acknowledgement latency. Taking turns in-process first
/// means SQLite never sees the collision: the inbox writer and every SaveChanges pass through this gate.
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        return new Turn(gate);
    }

    internal SaveChangesInterceptor Interceptor => new GateInterceptor(this);

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    /// <summary>Holds the gate from the start of SaveChanges until it succeeded, failed or was cancelled.</summary>
    private sealed class GateInterceptor(WriteGate owner) : SaveChangesInterceptor
    {
        // Per context: a context saves one thing at a time, and async-local values set here would not flow back to EF.
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, IDisposable> held = [];

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            held.AddOrUpdate(eventData.Context!, await owner.EnterAsync(cancellationToken));
            return result;
        }

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            held.AddOrUpdate(eventData.Context!, owner.EnterAsync(CancellationToken.None).GetAwaiter().GetResult());
            return result;
        }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Release(eventData);
            return ValueTask.FromResult(result);
        }

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            Release(eventData);
            return result;
        }

        public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Release(eventData);
            return Task.CompletedTask;
        }

        public override void SaveChangesFailed(DbContextErrorEventData eventData) => Release(eventData);

        public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
        {
            Release(eventData);
            return Task.CompletedTask;
        }

        public override void SaveChangesCanceled(DbContextEventData eventData) => Release(eventData);

        private void Release(DbContextEventData eventData)
        {
            if (eventData.Context is { } context && held.TryGetValue(context, out var turn))
            {
                held.Remove(context);
                turn.Dispose();
            }
        }
    }
}
