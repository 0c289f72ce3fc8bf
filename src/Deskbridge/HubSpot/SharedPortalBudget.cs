using System.Collections.Concurrent;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.HubSpot;

/// <summary>
/// HubSpot's per-portal limits count the calls of every Deskbridge instance together, so each call also takes a permit
/// from a window kept in the database: per portal (and per portal's search calls) a count per whole second. A call is
/// allowed while the last <c>window + 1</c> seconds hold fewer than the limit (any real window of that length touches at
/// most that many whole-second slots, so the limit holds for every window, not only aligned ones). The in-process
/// limiter in front of it queues this instance's calls first, so a refused permit is rare and never spins.
/// <para>
/// Permits are taken from the database in blocks: one transaction takes as many permits of the current second as this
/// instance is likely to spend in it (the callers waiting now, or what it spent the second before, at most the
/// sustained share of one second, <c>limit / (window + 1)</c>), and hands them out in memory. A permit is only good in
/// the second it was counted in; what a second left unspent is given back (subtracted from that second's count) in the
/// next transaction for the key, before the window is summed. Until then the count is too high, never too low, so the
/// limit holds; another instance may find the window a few permits fuller than it is for a moment. One write
/// transaction per portal per second, instead of one per call, is what made the budget cheap enough for P4 and P6
/// (each permit was a write transaction of its own, on SQLite's one writer).
/// </para>
/// The statements are plain SQL valid on SQLite and PostgreSQL; the first one locks the portal's anchor row, so two
/// instances cannot both read the count and both take the last permit (SQLite has one writer anyway).
/// </summary>
public sealed partial class SharedPortalBudget(IServiceScopeFactory scopes, IngressPriority ingress, TimeProvider time, ILogger<SharedPortalBudget> logger)
{
    private readonly ConcurrentDictionary<string, Block> _blocks = new(StringComparer.Ordinal);
    private long _lastPrune;

    /// <summary>Waits until the shared window of <paramref name="key"/> has room for one more call, and takes it.</summary>
    public async Task TakeAsync(string key, int limit, int windowSeconds, CancellationToken ct)
    {
        var block = _blocks.GetOrAdd(key, _ => new Block());
        Interlocked.Increment(ref block.Waiting);
        try
        {
            while (true)
            {
                TimeSpan untilNextSecond;
                await block.Gate.WaitAsync(ct);
                try
                {
                    var now = time.GetUtcNow();
                    var slot = now.ToUnixTimeSeconds();
                    if (block.Slot == slot && block.Used < block.Granted)
                    {
                        block.Used++;
                        return;
                    }
                    if (await TryTakeBlockAsync(key, block, limit, windowSeconds, slot, ct))
                    {
                        block.Used++;
                        return;
                    }
                    // The window moves on at the next whole second; a little jitter keeps instances from waking in lockstep.
                    untilNextSecond = TimeSpan.FromMilliseconds(1000 - now.Millisecond + Random.Shared.Next(0, 50));
                }
                finally
                {
                    block.Gate.Release();
                }
                LogWaiting(logger, key, untilNextSecond);
                await Task.Delay(untilNextSecond, time, ct);
            }
        }
        finally
        {
            Interlocked.Decrement(ref block.Waiting);
        }
    }

    /// <summary>Takes permits of <paramref name="slot"/> from the database into <paramref name="block"/>; false when the window is full.</summary>
    private async Task<bool> TryTakeBlockAsync(string key, Block block, int limit, int windowSeconds, long slot, CancellationToken ct)
    {
        var newSlot = block.Slot != slot;
        var unspent = newSlot ? block.Granted - block.Used : 0;
        var spentLastSecond = newSlot ? (block.Slot == slot - 1 ? block.Used : 0) : block.SpentBefore;
        var share = Math.Max(1, limit / (windowSeconds + 1));
        var want = Math.Clamp(Math.Max(Volatile.Read(ref block.Waiting), spentLastSecond), 1, share);
        var after = slot - windowSeconds - 1;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        // A background write like any other: webhook acknowledgements go first (SQLite has one writer).
        await ingress.WhenIdleAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "PortalRateWindows" ("Key", "Slot", "Count") VALUES ({key}, {-1L}, {0})
            ON CONFLICT ("Key", "Slot") DO UPDATE SET "Count" = excluded."Count"
            """, ct);
        if (unspent > 0)
        {
            var spentSlot = block.Slot;
            await db.Database.ExecuteSqlAsync($"""
                UPDATE "PortalRateWindows" SET "Count" = "Count" - {unspent} WHERE "Key" = {key} AND "Slot" = {spentSlot}
                """, ct);
        }
        var counted = await db.Database.SqlQuery<long>($"""
            SELECT COALESCE(SUM(w."Count"), 0) AS "Value" FROM "PortalRateWindows" w WHERE w."Key" = {key} AND w."Slot" > {after}
            """).SingleAsync(ct);
        var taken = (int)Math.Clamp(limit - counted, 0, want);
        if (taken > 0)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "PortalRateWindows" ("Key", "Slot", "Count") VALUES ({key}, {slot}, {taken})
                ON CONFLICT ("Key", "Slot") DO UPDATE SET "Count" = "PortalRateWindows"."Count" + {taken}
                """, ct);
        }
        if (taken > 0 && Interlocked.Exchange(ref _lastPrune, slot) < slot - 60)
        {
            // Old seconds are of no use; a minute's worth per key is all the table ever holds.
            var old = slot - 60;
            await db.Database.ExecuteSqlAsync($"""DELETE FROM "PortalRateWindows" WHERE "Slot" >= 0 AND "Slot" < {old}""", ct);
        }
        await transaction.CommitAsync(ct);

        // Only once the transaction stands: a failed one leaves the block as it was (the unspent permits still to give back).
        if (newSlot)
        {
            block.SpentBefore = spentLastSecond;
            block.Slot = slot;
            block.Granted = 0;
            block.Used = 0;
        }
        block.Granted += taken;
        return taken > 0;
    }

    /// <summary>This instance's permits of one key for one second (guarded by <see cref="Gate"/>).</summary>
    private sealed class Block
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public int Waiting;
        public long Slot = long.MinValue;
        public int Granted;
        public int Used;
        public int SpentBefore;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "HubSpot budget {Key} is spent by all instances together; waiting {Wait}")]
    private static partial void LogWaiting(ILogger logger, string key, TimeSpan wait);
}

/// <summary>One second of one portal's shared HubSpot budget (slot -1 is the row every permit locks first).</summary>
public sealed class PortalRateWindow
{
    public required string Key { get; set; }
    public long Slot { get; set; }
    public int Count { get; set; }
}
