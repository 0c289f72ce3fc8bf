using System.Data.Common;
using System.Diagnostics;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Retention;

/// <summary>
/// X5: one pruning round. Every write is a short statement over at most <see cref="RetentionOptions.BatchSize"/> rows
/// that first waits for webhook ingress to go idle (<see cref="IngressPriority"/>), so a webhook never waits behind
/// retention for more than one small batch.
///
/// Age is found through arrival order: inbox ids grow with <see cref="InboxEvent.ReceivedAt"/> (one writer commits
/// batches in turn), so the first id received after a cut-off is found by a binary search over the primary key,
/// and no new index (which every webhook insert would pay for) is needed. Dedup keys are rows in insertion order too
/// (their rowid), so the oldest are at the front of the table.
/// </summary>
public sealed class RetentionPruner(IServiceScopeFactory scopes, IngressPriority priority, IOptions<RetentionOptions> options, TimeProvider time)
{
    // Ids below this have had their payloads looked at in this process. Rows skipped (pending, failed, completed late)
    // keep their payload until their row goes; a restart looks at everything once more.
    private long _payloadCursor;
    private TimeSpan _longestWrite;

    public async Task<RetentionReport> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        _longestWrite = TimeSpan.Zero;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();

        var payloads = await EmptyPayloadsAsync(db, now - o.EventPayloads, o, ct);
        var events = await DeleteEventsAsync(db, now - o.Events, o, ct);
        var keys = await DeleteDedupKeysAsync(db, now - o.DedupKeys, o, ct);
        var pages = await ReclaimSpaceAsync(db, o, ct);
        return new RetentionReport(payloads, events, keys, pages, _longestWrite);
    }

    private async Task<int> EmptyPayloadsAsync(DeskbridgeDb db, DateTimeOffset cutoff, RetentionOptions o, CancellationToken ct)
    {
        var before = await FirstIdReceivedFromAsync(db, cutoff, ct);
        var total = 0;
        while (true)
        {
            var after = _payloadCursor;
            var rows = await db.InboxEvents.AsNoTracking()
                .Where(e => e.Status == EventStatus.Done && e.Id > after && e.Id < before && e.Fate != EventFate.Failed && e.Payload != "")
                .OrderBy(e => e.Id).Take(o.BatchSize)
                .Select(e => new { e.Id, e.CompletedAt }).ToListAsync(ct);
            if (rows.Count == 0)
            {
                _payloadCursor = Math.Max(_payloadCursor, before - 1);
                return total;
            }
            var ids = rows.Where(r => r.CompletedAt < cutoff).Select(r => r.Id).ToList();
            if (ids.Count > 0)
            {
                await priority.WhenIdleAsync(ct);
                // Failed is checked again in the write: an event may have failed since it was read.
                var started = Stopwatch.GetTimestamp();
                total += await db.InboxEvents.Where(e => ids.Contains(e.Id) && e.Status == EventStatus.Done && e.Fate != EventFate.Failed)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Payload, ""), ct);
                Timed(started);
            }
            _payloadCursor = rows[^1].Id;
            await PauseAsync(o, ct);
        }
    }

    private async Task<int> DeleteEventsAsync(DeskbridgeDb db, DateTimeOffset cutoff, RetentionOptions o, CancellationToken ct)
    {
        var before = await FirstIdReceivedFromAsync(db, cutoff, ct);
        long after = 0;
        var total = 0;
        while (true)
        {
            var from = after;
            var rows = await db.InboxEvents.AsNoTracking()
                .Where(e => e.Status == EventStatus.Done && e.Id > from && e.Id < before)
                .OrderBy(e => e.Id).Take(o.BatchSize)
                .Select(e => new { e.Id, e.CompletedAt }).ToListAsync(ct);
            if (rows.Count == 0)
            {
                return total;
            }
            var ids = rows.Where(r => r.CompletedAt < cutoff).Select(r => r.Id).ToList();
            if (ids.Count > 0)
            {
                await priority.WhenIdleAsync(ct);
                // Only done rows: a failed event that was put back into the inbox meanwhile stays.
                var started = Stopwatch.GetTimestamp();
                total += await db.InboxEvents.Where(e => ids.Contains(e.Id) && e.Status == EventStatus.Done).ExecuteDeleteAsync(ct);
                Timed(started);
            }
            after = rows[^1].Id;
            await PauseAsync(o, ct);
        }
    }

    private async Task<int> DeleteDedupKeysAsync(DeskbridgeDb db, DateTimeOffset cutoff, RetentionOptions o, CancellationToken ct)
    {
        var before = await FirstIdReceivedFromAsync(db, cutoff, ct);
        if (db.Database.IsNpgsql())
        {
            return await DeleteDedupKeysOnPostgresAsync(db, before, o, ct);
        }
        var connection = await OpenAsync(db, ct);
        long after = 0;
        var total = 0;
        while (true)
        {
            var rows = new List<(long RowId, long FirstEventId)>();
            await using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT rowid, FirstEventId FROM DedupKeys WHERE rowid > $after ORDER BY rowid LIMIT $n";
                AddParameter(read, "$after", after);
                AddParameter(read, "$n", o.BatchSize);
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
                }
            }
            var old = rows.TakeWhile(r => r.FirstEventId < before).ToList();
            if (old.Count > 0)
            {
                await priority.WhenIdleAsync(ct);
                await using var delete = connection.CreateCommand();
                delete.CommandText = "DELETE FROM DedupKeys WHERE rowid >= $from AND rowid <= $to AND FirstEventId < $before";
                AddParameter(delete, "$from", old[0].RowId);
                AddParameter(delete, "$to", old[^1].RowId);
                AddParameter(delete, "$before", before);
                var started = Stopwatch.GetTimestamp();
                total += await delete.ExecuteNonQueryAsync(ct);
                Timed(started);
            }
            // Front to back in insertion order: the first key that is still young ends the round.
            if (old.Count < rows.Count || rows.Count < o.BatchSize)
            {
                return total;
            }
            after = old[^1].RowId;
            await PauseAsync(o, ct);
        }
    }

    /// <summary>
    /// PostgreSQL has no rowid: each step deletes at most a batch of keys whose first event is older than the cutoff,
    /// found by their physical address (ctid), so no step holds row locks on more than BatchSize keys.
    /// </summary>
    private async Task<int> DeleteDedupKeysOnPostgresAsync(DeskbridgeDb db, long before, RetentionOptions o, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            var deleted = await db.Database.ExecuteSqlInterpolatedAsync(
                $"DELETE FROM \"DedupKeys\" WHERE ctid IN (SELECT ctid FROM \"DedupKeys\" WHERE \"FirstEventId\" < {before} LIMIT {o.BatchSize})", ct);
            Timed(started);
            total += deleted;
            if (deleted < o.BatchSize)
            {
                return total;
            }
            await PauseAsync(o, ct);
        }
    }

    /// <summary>
    /// Freed pages are reused by new rows without any vacuum, so the file stops growing once retention runs; with
    /// auto_vacuum=INCREMENTAL (new databases, see <see cref="SqliteTuning"/>) the surplus beyond a reserve is also
    /// given back to the file system, in small steps. A full VACUUM would rewrite the whole file under the write lock.
    /// </summary>
    private void Timed(long started) => _longestWrite = TimeSpan.FromTicks(Math.Max(_longestWrite.Ticks, Stopwatch.GetElapsedTime(started).Ticks));

    private async Task<long> ReclaimSpaceAsync(DeskbridgeDb db, RetentionOptions o, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            // PostgreSQL's autovacuum makes dead rows' space reusable by itself.
            return 0;
        }
        var connection = await OpenAsync(db, ct);
        if (await ScalarAsync(connection, "PRAGMA auto_vacuum", ct) != 2)
        {
            return 0;
        }
        long reclaimed = 0;
        while (true)
        {
            var surplus = await ScalarAsync(connection, "PRAGMA freelist_count", ct) - o.KeepFreePages;
            if (surplus <= 0)
            {
                return reclaimed;
            }
            var step = Math.Min(surplus, o.VacuumPagesPerStep);
            await priority.WhenIdleAsync(ct);
            var started = Stopwatch.GetTimestamp();
            await using (var vacuum = connection.CreateCommand())
            {
                vacuum.CommandText = $"PRAGMA incremental_vacuum({step})";
                await using var reader = await vacuum.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                }
            }
            Timed(started);
            reclaimed += step;
            await PauseAsync(o, ct);
        }
    }

    /// <summary>The smallest id received at or after <paramref name="cutoff"/>, or one past the last id when all are older.</summary>
    private static async Task<long> FirstIdReceivedFromAsync(DeskbridgeDb db, DateTimeOffset cutoff, CancellationToken ct)
    {
        var last = await db.InboxEvents.MaxAsync(e => (long?)e.Id, ct);
        if (last is null)
        {
            return 0;
        }
        long low = 0, high = last.Value + 1; // answer in (low, high]
        while (high - low > 1)
        {
            var mid = low + ((high - low) / 2);
            var probe = await db.InboxEvents.AsNoTracking().Where(e => e.Id >= mid).OrderBy(e => e.Id)
                .Select(e => new { e.Id, e.ReceivedAt }).FirstOrDefaultAsync(ct);
            if (probe is null || probe.ReceivedAt >= cutoff)
            {
                high = probe is null ? mid : Math.Min(mid, probe.Id);
            }
            else
            {
                low = probe.Id;
            }
        }
        return high;
    }

    private static async Task<DbConnection> OpenAsync(DeskbridgeDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return db.Database.GetDbConnection();
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AddParameter(DbCommand command, string name, long value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    // Real time, not the service clock: the pause is there for the lock, which lives in real time.
    private static Task PauseAsync(RetentionOptions o, CancellationToken ct) =>
        o.PauseBetweenBatches > TimeSpan.Zero ? Task.Delay(o.PauseBetweenBatches, ct) : Task.CompletedTask;
}

/// <param name="LongestWrite">The longest single write statement of the round: about how long it held SQLite's write lock.</param>
public sealed record RetentionReport(int Payloads, int Events, int DedupKeys, long PagesReclaimed, TimeSpan LongestWrite)
{
    public bool Any => Payloads + Events + DedupKeys > 0 || PagesReclaimed > 0;
}
