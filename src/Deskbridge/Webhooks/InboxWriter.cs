using Deskbridge.EventLog;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Webhooks;

/// <summary>
/// W2/W5: stores batches in one transaction, recording repeats of an already stored event as duplicates.
/// Several webhook requests may share one transaction (see <see cref="InboxBatcher"/>); each is answered only
/// after that transaction committed.
/// </summary>
public sealed class InboxWriter(DeskbridgeDb db, TimeProvider time)
{
    public static readonly IReadOnlySet<string> ActedOnTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "conversation.newMessage",
        "conversation.creation",
        "ticket.propertyChange",
    };

    public async Task<IReadOnlyList<InboxWriteResult>> WriteAsync(IReadOnlyList<IncomingBatch> batches, CancellationToken ct)
    {
        // Two batches carrying the same new event may race (another process on the same database); the loser's
        // insert of the dedup key fails, and the second pass sees the winner's key and records a duplicate.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryWriteAsync(batches, ct);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<IReadOnlyList<InboxWriteResult>> TryWriteAsync(IReadOnlyList<IncomingBatch> batches, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var known = new Dictionary<(Guid, string), long>();
        foreach (var organization in batches.GroupBy(b => b.OrganizationId))
        {
            var keys = organization.SelectMany(b => b.Events).Select(e => e.DedupKey).Distinct().ToList();
            foreach (var chunk in keys.Chunk(500))
            {
                var found = await db.DedupKeys.AsNoTracking()
                    .Where(d => d.OrganizationId == organization.Key && chunk.Contains(d.Key))
                    .Select(d => new { d.Key, d.FirstEventId })
                    .ToListAsync(ct);
                foreach (var f in found)
                {
                    known[(organization.Key, f.Key)] = f.FirstEventId;
                }
            }
        }

        var results = new List<InboxWriteResult>(batches.Count);
        var firstOfKey = new Dictionary<(Guid, string), InboxEvent>();
        var dedupRows = new List<(DedupKey Key, InboxEvent First)>();
        foreach (var batch in batches)
        {
            var batchId = Guid.NewGuid();
            int accepted = 0, duplicates = 0, ignored = 0;
            foreach (var envelope in batch.Events)
            {
                var row = ToRow(batch.OrganizationId, batchId, now, envelope);
                var key = (batch.OrganizationId, envelope.DedupKey);
                if (known.TryGetValue(key, out var firstId))
                {
                    Finish(row, EventFate.Duplicate, $"Duplicate of event #{firstId} (dedup key {envelope.DedupKey}, attemptNumber {envelope.AttemptNumber}); not processed again.", now);
                    duplicates++;
                }
                else if (firstOfKey.ContainsKey(key))
                {
                    Finish(row, EventFate.Duplicate, $"Duplicate of an event received moments earlier (dedup key {envelope.DedupKey}, attemptNumber {envelope.AttemptNumber}); not processed again.", now);
                    duplicates++;
                }
                else
                {
                    firstOfKey[key] = row;
                    dedupRows.Add((new DedupKey { OrganizationId = batch.OrganizationId, Key = envelope.DedupKey }, row));
                    if (ActedOnTypes.Contains(envelope.SubscriptionType))
                    {
                        accepted++;
                    }
                    else
                    {
                        Finish(row, EventFate.Ignored, $"Event type {envelope.SubscriptionType} is not acted on (only {string.Join(", ", ActedOnTypes)}).", now);
                        ignored++;
                    }
                }
                db.InboxEvents.Add(row);
            }
            results.Add(new InboxWriteResult(accepted, duplicates, ignored, batchId));
        }

        await db.SaveChangesAsync(ct);
        foreach (var (key, first) in dedupRows)
        {
            key.FirstEventId = first.Id;
            db.DedupKeys.Add(key);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return results;
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
        OrderingKey = e.OrderingKey,
        ThreadId = e.SubscriptionType.StartsWith("conversation.", StringComparison.Ordinal) ? e.ObjectId : null,
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

public sealed record IncomingBatch(Guid OrganizationId, IReadOnlyList<WebhookEnvelope> Events);

public sealed record InboxWriteResult(int Accepted, int Duplicates, int Ignored, Guid BatchId);
