using Deskbridge.EventLog;
using Deskbridge.Processing;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Webhooks;

/// <summary>
/// W2/W5: stores a whole batch in one transaction, recording repeats of an already stored event as duplicates.
/// Only after the commit may the endpoint answer 200.
/// </summary>
public sealed class InboxWriter(DeskbridgeDb db, TimeProvider time, InboxSignal signal)
{
    public static readonly IReadOnlySet<string> ActedOnTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "conversation.newMessage",
        "conversation.creation",
        "ticket.propertyChange",
    };

    public async Task<InboxWriteResult> WriteAsync(Guid organizationId, IReadOnlyList<WebhookEnvelope> batch, CancellationToken ct)
    {
        // Two batches carrying the same new event may race; the loser's insert of the dedup key fails,
        // and the second pass sees the winner's key and records a duplicate.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await TryWriteAsync(organizationId, batch, ct);
                if (result.Accepted > 0)
                {
                    signal.Notify();
                }
                return result;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<InboxWriteResult> TryWriteAsync(Guid organizationId, IReadOnlyList<WebhookEnvelope> batch, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var batchId = Guid.NewGuid();
        var keys = batch.Select(e => e.DedupKey).Distinct().ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var known = await db.DedupKeys.AsNoTracking()
            .Where(d => d.OrganizationId == organizationId && keys.Contains(d.Key))
            .ToDictionaryAsync(d => d.Key, d => d.FirstEventId, ct);

        var fresh = new List<(InboxEvent Event, string Key)>();
        var rows = new List<InboxEvent>(batch.Count);
        var seenInBatch = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var envelope in batch)
        {
            var row = ToRow(organizationId, batchId, now, envelope);
            if (known.TryGetValue(envelope.DedupKey, out var firstId))
            {
                Finish(row, EventFate.Duplicate, $"Duplicate of event #{firstId} (dedup key {envelope.DedupKey}, attemptNumber {envelope.AttemptNumber}); not processed again.", now);
                duplicates++;
            }
            else if (!seenInBatch.Add(envelope.DedupKey))
            {
                Finish(row, EventFate.Duplicate, $"Duplicate within the same batch (dedup key {envelope.DedupKey}); not processed again.", now);
                duplicates++;
            }
            else
            {
                fresh.Add((row, envelope.DedupKey));
                if (!ActedOnTypes.Contains(envelope.SubscriptionType))
                {
                    Finish(row, EventFate.Ignored, $"Event type {envelope.SubscriptionType} is not acted on (only {string.Join(", ", ActedOnTypes)}).", now);
                }
            }
            rows.Add(row);
        }

        db.InboxEvents.AddRange(rows);
        await db.SaveChangesAsync(ct);
        db.DedupKeys.AddRange(fresh.Select(f => new DedupKey { OrganizationId = organizationId, Key = f.Key, FirstEventId = f.Event.Id }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();

        return new InboxWriteResult(rows.Count(r => r.Status == EventStatus.Pending), duplicates, rows.Count(r => r.Fate == EventFate.Ignored), batchId);
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

public sealed record InboxWriteResult(int Accepted, int Duplicates, int Ignored, Guid BatchId);
