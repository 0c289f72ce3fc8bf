using System.Data.Common;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Deskbridge.Inbox;

/// <summary>
/// W2/W5: stores batches in one transaction, recording repeats of an already stored event as duplicates.
/// Several webhook requests may share one transaction (see <see cref="InboxBatcher"/>); each is answered only after
/// that transaction committed. This is the hot path of ingress, so it writes with prepared commands built from the
/// EF model (table, column names and value conversions come from EF, so the rows are exactly what EF would write)
/// instead of tracking thousands of entities.
/// </summary>
public sealed class InboxWriter(DeskbridgeDb db, InboxEventTypes eventTypes, TimeProvider time)
{
    private IReadOnlySet<string> ActedOnTypes => eventTypes.ActedOn;

    public async Task<IReadOnlyList<InboxWriteResult>> WriteAsync(IReadOnlyList<IncomingBatch> batches, CancellationToken ct) =>
        (await WriteAsync(batches, null, ct)).Select(r => r!).ToList();

    /// <summary>
    /// Writes the batches <paramref name="claims"/> still lets it write. A claim is asked only once the transaction holds
    /// the write lock, so a caller that gave up before then (and answered 503) finds its events not stored; one that asks
    /// later finds its claim taken and waits the moment out. An unclaimed batch's result is null.
    /// </summary>
    public async Task<IReadOnlyList<InboxWriteResult?>> WriteAsync(IReadOnlyList<IncomingBatch> batches, IWriteClaims? claims, CancellationToken ct)
    {
        // Two processes sharing one database may race on a new event; the loser's dedup-key insert fails on the
        // primary key, and the second pass sees the winner's key and records a duplicate.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryWriteAsync(batches, claims, ct);
            }
            catch (DbException) when (attempt < 3)
            {
            }
        }
    }

    private async Task<IReadOnlyList<InboxWriteResult?>> TryWriteAsync(IReadOnlyList<IncomingBatch> all, IWriteClaims? claims, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var claimed = new List<int>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // SQLite's BEGIN IMMEDIATE holds the write lock from here on; see the method summary.
            claimed.AddRange(Enumerable.Range(0, all.Count).Where(i => claims?.Claim(i) ?? true));
            var batches = claimed.Select(i => all[i]).ToList();
            using var commands = InboxCommands.For(db, transaction.GetDbTransaction(), batches.Sum(b => b.Events.Count));

            var results = new List<InboxWriteResult>(batches.Count);
            // One look-up of every dedup key the group carries, instead of one per event.
            var seen = new Dictionary<(Guid, string), long>();
            foreach (var organization in batches.GroupBy(b => b.OrganizationId))
            {
                var keys = organization.SelectMany(b => b.Events).Where(e => e.Rejection is null).Select(e => e.DedupKey).Distinct(StringComparer.Ordinal).ToList();
                foreach (var (key, firstEventId) in await commands.FindDedupKeysAsync(organization.Key, keys, ct))
                {
                    seen[(organization.Key, key)] = firstEventId;
                }
            }
            foreach (var batch in batches)
            {
                var batchId = Guid.NewGuid();
                int accepted = 0, duplicates = 0, ignored = 0, rejected = 0;
                foreach (var envelope in batch.Events)
                {
                    var key = (batch.OrganizationId, envelope.DedupKey);
                    var row = ToRow(batch.OrganizationId, batchId, now, envelope);
                    row.TraceParent = batch.TraceParent;
                    if (envelope.Rejection is { } reason)
                    {
                        // W7: kept for the record with its reason; it takes no dedup key, so it cannot shadow a valid event.
                        Finish(row, EventFate.Rejected, $"Rejected: {reason}", now);
                        rejected++;
                        await commands.InsertEventAsync(row, ct);
                        continue;
                    }

                    if (seen.TryGetValue(key, out var first))
                    {
                        Finish(row, EventFate.Duplicate, $"Duplicate of event #{first} (dedup key {envelope.DedupKey}, attemptNumber {envelope.AttemptNumber}); not processed again.", now);
                        duplicates++;
                        await commands.InsertEventAsync(row, ct);
                        continue;
                    }

                    if (!ActedOnTypes.Contains(envelope.SubscriptionType))
                    {
                        Finish(row, EventFate.Ignored, $"Event type {envelope.SubscriptionType} is not acted on (only {string.Join(", ", ActedOnTypes)}).", now);
                        ignored++;
                    }
                    else
                    {
                        accepted++;
                    }
                    var eventId = await commands.InsertEventAsync(row, ct);
                    await commands.InsertDedupKeyAsync(batch.OrganizationId, envelope.DedupKey, eventId, ct);
                    seen[key] = eventId;
                }
                results.Add(new InboxWriteResult(accepted, duplicates, ignored, batchId, rejected));
            }

            await commands.FlushAsync(ct); // PostgreSQL: the queued rows, in a few statements
            await transaction.CommitAsync(ct);
            var byIndex = new InboxWriteResult?[all.Count];
            for (var k = 0; k < claimed.Count; k++)
            {
                byIndex[claimed[k]] = results[k];
            }
            return byIndex;
        }
        catch
        {
            foreach (var i in claimed)
            {
                claims?.Release(i);
            }
            throw;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static InboxEvent ToRow(Guid organizationId, Guid batchId, DateTimeOffset now, WebhookEnvelope e) => new()
    {
        OrganizationId = organizationId,
        BatchId = batchId,
        ReceivedAt = now,
        EventId = e.EventId,
        SubscriptionType = e.SubscriptionType,
        ObjectId = e.ObjectId,
        MessageId = e.MessageId,
        MessageType = e.MessageType,
        PropertyName = e.PropertyName,
        PropertyValue = e.PropertyValue,
        OccurredAt = e.OccurredAt,
        AttemptNumber = e.AttemptNumber,
        Payload = e.Raw,
        DedupKey = e.DedupKey,
        OrderingKey = e.Rejection is null ? e.OrderingKey : "rejected",
        ThreadId = e.Rejection is null && e.SubscriptionType.StartsWith("conversation.", StringComparison.Ordinal) ? e.ObjectId : null,
        Status = EventStatus.Pending,
    };

    private static void Finish(InboxEvent row, EventFate fate, string reason, DateTimeOffset now)
    {
        row.Status = EventStatus.Done;
        row.Fate = fate;
        row.Reason = reason;
        row.CompletedAt = now;
    }
}

/// <param name="TraceParent">O3: W3C trace context of the ingress span, stored on each row for the processing span's link.</param>
public sealed record IncomingBatch(Guid OrganizationId, IReadOnlyList<WebhookEnvelope> Events, string? TraceParent = null);

public sealed record InboxWriteResult(int Accepted, int Duplicates, int Ignored, Guid BatchId, int Rejected = 0);

/// <summary>Lets the writer ask, once it holds the lock, whether each batch's caller still waits for it.</summary>
public interface IWriteClaims
{
    /// <summary>True when batch <paramref name="index"/> is (still) the writer's to store.</summary>
    bool Claim(int index);

    /// <summary>The transaction that claimed batch <paramref name="index"/> did not commit; its caller may give up again.</summary>
    void Release(int index);
}
