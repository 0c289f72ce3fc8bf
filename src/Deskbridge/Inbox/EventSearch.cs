using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Inbox;

/// <summary>O1: an organization's events, newest first, by what a person knows of them. The API and the dashboard both ask here.</summary>
public sealed class EventSearch(DeskbridgeDb db)
{
    public const int MaxResults = 1000;

    /// <param name="AnyId">The dashboard's one box: a session id, or an event, thread or message id.</param>
    public sealed record Query(string? EventId = null, string? ThreadId = null, Guid? SessionId = null, string? Fate = null, string? AnyId = null);

    public async Task<List<InboxEvent>> FindAsync(Guid organizationId, Query query, int limit, CancellationToken ct)
    {
        var events = db.InboxEvents.AsNoTracking().Where(e => e.OrganizationId == organizationId);
        if (!string.IsNullOrEmpty(query.EventId))
        {
            events = events.Where(e => e.EventId == query.EventId);
        }
        if (!string.IsNullOrEmpty(query.ThreadId))
        {
            events = events.Where(e => e.ThreadId == query.ThreadId);
        }
        if (query.SessionId is { } session)
        {
            events = events.Where(e => e.SessionId == session);
        }
        if (query.AnyId?.Trim() is { Length: > 0 } any)
        {
            events = Guid.TryParse(any, out var sessionId)
                ? events.Where(e => e.SessionId == sessionId)
                : events.Where(e => e.EventId == any || e.ThreadId == any || e.MessageId == any);
        }
        if (Enum.TryParse<EventFate>(query.Fate, ignoreCase: true, out var fate))
        {
            events = events.Where(e => e.Fate == fate);
        }
        return await events.OrderByDescending(e => e.Id).Take(Math.Clamp(limit, 1, MaxResults)).ToListAsync(ct);
    }

    public Task<InboxEvent?> GetAsync(Guid organizationId, long id, CancellationToken ct) =>
        db.InboxEvents.AsNoTracking().SingleOrDefaultAsync(e => e.OrganizationId == organizationId && e.Id == id, ct);
}
