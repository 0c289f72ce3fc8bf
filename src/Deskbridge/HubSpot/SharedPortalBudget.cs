using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.HubSpot;

/// <summary>
/// HubSpot's per-portal limits count the calls of every Deskbridge instance together, so each call also takes a permit
/// from a window kept in the database: per portal (and per portal's search calls) a count per whole second. A call is
/// allowed while the last <c>window + 1</c> seconds hold fewer than the limit (any real window of that length touches at
/// most that many whole-second slots, so the limit holds for every window, not only aligned ones). The in-process
/// limiter in front of it queues this instance's calls first, so a refused permit is rare and never spins.
/// The statements are plain SQL valid on SQLite and PostgreSQL; the first one locks the portal's anchor row, so two
/// instances cannot both read the count and both take the last permit (SQLite has one writer anyway).
/// </summary>
public sealed partial class SharedPortalBudget(IServiceScopeFactory scopes, IngressPriority ingress, TimeProvider time, ILogger<SharedPortalBudget> logger)
{
    private long _lastPrune;

    /// <summary>Waits until the shared window of <paramref name="key"/> has room for one more call, and takes it.</summary>
    public async Task TakeAsync(string key, int limit, int windowSeconds, CancellationToken ct)
    {
        while (true)
        {
            var now = time.GetUtcNow();
            var slot = now.ToUnixTimeSeconds();
            if (await TryTakeAsync(key, limit, slot - windowSeconds - 1, slot, ct))
            {
                return;
            }
            // The window moves on at the next whole second; a little jitter keeps instances from waking in lockstep.
            var untilNextSecond = TimeSpan.FromMilliseconds(1000 - now.Millisecond + Random.Shared.Next(0, 50));
            LogWaiting(logger, key, untilNextSecond);
            await Task.Delay(untilNextSecond, time, ct);
        }
    }

    private async Task<bool> TryTakeAsync(string key, int limit, long after, long slot, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        // A background write like any other: webhook acknowledgements go first (SQLite has one writer).
        await ingress.WhenIdleAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "PortalRateWindows" ("Key", "Slot", "Count") VALUES ({key}, {-1L}, {0})
            ON CONFLICT ("Key", "Slot") DO UPDATE SET "Count" = excluded."Count"
            """, ct);
        var taken = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "PortalRateWindows" ("Key", "Slot", "Count")
            SELECT {key}, {slot}, 1
            WHERE (SELECT COALESCE(SUM(w."Count"), 0) FROM "PortalRateWindows" w WHERE w."Key" = {key} AND w."Slot" > {after}) < {limit}
            ON CONFLICT ("Key", "Slot") DO UPDATE SET "Count" = "PortalRateWindows"."Count" + 1
            """, ct) == 1;
        if (taken && Interlocked.Exchange(ref _lastPrune, slot) < slot - 60)
        {
            // Old seconds are of no use; a minute's worth per key is all the table ever holds.
            var old = slot - 60;
            await db.Database.ExecuteSqlAsync($"""DELETE FROM "PortalRateWindows" WHERE "Slot" >= 0 AND "Slot" < {old}""", ct);
        }
        await transaction.CommitAsync(ct);
        return taken;
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
