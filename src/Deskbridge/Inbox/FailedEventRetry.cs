using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Inbox;

/// <summary>
/// Puts an organization's failed events back into the inbox in bulk (after an outage, a fixed scope, a fixed bug),
/// chosen by their reason and when they were received. The API and the dashboard both call this, so both validate alike.
/// </summary>
public sealed class FailedEventRetry(DeskbridgeDb db, InboxSignal signal)
{
    /// <summary>At most this many per call; the answer says when more are left, and the call can simply be repeated.</summary>
    public const int MaxPerCall = 5000;

    public const int MaxReasonLength = 500;

    /// <param name="Reason">A part of the failure reason, any case.</param>
    /// <param name="From">Received at or after (inclusive).</param>
    /// <param name="To">Received before or at (inclusive).</param>
    public sealed record Filter(string? Reason, DateTimeOffset? From, DateTimeOffset? To);

    public sealed record Result(int Requeued, bool MoreLeft);

    /// <summary>Problems by field name (empty when the filter is fine).</summary>
    public static Dictionary<string, string[]> Validate(Filter filter)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var reason = filter.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) && filter.From is null && filter.To is null)
        {
            // Every failed event at once is never retried by an empty form.
            problems["reason"] = ["Give a part of the reason, a time range, or both."];
        }
        if (reason is { Length: > MaxReasonLength })
        {
            problems["reason"] = [$"At most {MaxReasonLength} characters."];
        }
        if (filter.From is { } from && filter.To is { } to && from > to)
        {
            problems["to"] = ["The end of the range is before its start."];
        }
        return problems;
    }

    /// <exception cref="ArgumentException">The filter does not pass <see cref="Validate"/>.</exception>
    public async Task<Result> RetryAsync(Guid organizationId, Filter filter, CancellationToken ct)
    {
        if (Validate(filter).Count > 0)
        {
            throw new ArgumentException("Invalid retry filter; call Validate first.", nameof(filter));
        }

        var query = db.InboxEvents.Where(e => e.OrganizationId == organizationId && e.Fate == EventFate.Failed);
        if (filter.Reason?.Trim() is { Length: > 0 } reason)
        {
            // SQLite's LIKE ignores case (ASCII); the user's own % and _ are matched literally.
            var pattern = "%" + reason.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%";
            // PostgreSQL's LIKE is case-sensitive: ILIKE is the same match ignoring case.
            query = db.Database.IsNpgsql()
                ? query.Where(e => e.Reason != null && EF.Functions.ILike(e.Reason, pattern, "\\"))
                : query.Where(e => e.Reason != null && EF.Functions.Like(e.Reason, pattern, "\\"));
        }
        // SQLite cannot compare DateTimeOffset values in SQL: the time range is applied to the (already narrowed) candidates.
        var candidates = await query.OrderBy(e => e.Id).Select(e => new { e.Id, e.ReceivedAt }).ToListAsync(ct);
        var ids = candidates
            .Where(c => (filter.From is not { } from || c.ReceivedAt >= from) && (filter.To is not { } to || c.ReceivedAt <= to))
            .Select(c => c.Id)
            .ToList();

        var requeued = 0;
        foreach (var chunk in ids.Take(MaxPerCall).Chunk(500))
        {
            var rows = await db.InboxEvents.Where(e => chunk.Contains(e.Id) && e.Fate == EventFate.Failed).ToListAsync(ct);
            foreach (var row in rows)
            {
                row.RequeueAfterFailure();
            }
            await db.SaveChangesAsync(ct);
            requeued += rows.Count;
        }
        if (requeued > 0)
        {
            signal.Notify();
        }
        return new Result(requeued, ids.Count > MaxPerCall);
    }
}
