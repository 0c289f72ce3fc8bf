using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Inbox;

/// <summary>One failed event back into the inbox with a fresh retry budget. Called by the API and the dashboard (bulk: <see cref="FailedEventRetry"/>).</summary>
public sealed class EventRetry(DeskbridgeDb db, InboxSignal signal)
{
    public enum Outcome { Requeued, NotFound, NotFailed }

    /// <param name="Event">The event as it is after the call; null when it does not exist in this organization.</param>
    public sealed record Result(Outcome Outcome, InboxEvent? Event);

    public async Task<Result> RetryAsync(Guid organizationId, long eventId, CancellationToken ct)
    {
        var row = await db.InboxEvents.SingleOrDefaultAsync(e => e.OrganizationId == organizationId && e.Id == eventId, ct);
        if (row is null)
        {
            return new Result(Outcome.NotFound, null);
        }
        if (row.Fate != EventFate.Failed)
        {
            return new Result(Outcome.NotFailed, row);
        }
        row.RequeueAfterFailure();
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return new Result(Outcome.Requeued, row);
    }
}
