using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Health;

/// <summary>O2: what is right and wrong with one organization's HubSpot connection, in figures.</summary>
public sealed class ConnectionHealthService(DeskbridgeDb db, HubSpotCallTracker calls, TimeProvider time)
{
    public static readonly TimeSpan SeriesWindow = TimeSpan.FromHours(24);
    public static readonly TimeSpan SeriesStep = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan WebhookSilenceWarning = TimeSpan.FromHours(24);

    /// <returns>Null when the organization does not exist.</returns>
    public async Task<ConnectionHealth?> GetAsync(Guid organizationId, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct))
        {
            return null;
        }
        var now = time.GetUtcNow();
        var connection = await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);
        var portalCalls = connection is null ? null : calls.For(connection.PortalId, connection.TokenLast4);

        var events = db.InboxEvents.AsNoTracking().Where(e => e.OrganizationId == organizationId);
        var lastEventAt = await events.OrderByDescending(e => e.Id).Select(e => (DateTimeOffset?)e.ReceivedAt).FirstOrDefaultAsync(ct);

        var window = await RecentAsync(events, now, ct);
        var hourAgo = now.AddHours(-1);
        int Count(EventFate fate) => window.Count(e => e.Fate == fate && e.CompletedAt >= hourAgo);
        var pending = await events.CountAsync(e => e.Status == EventStatus.Pending, ct);

        // Stored error of the latest failed event: survives restarts, unlike the in-memory call tracker.
        var lastFailure = await events.Where(e => e.Fate == EventFate.Failed).OrderByDescending(e => e.Id)
            .Select(e => new { e.CompletedAt, e.LastError }).FirstOrDefaultAsync(ct);
        var lastError = LatestError(portalCalls, lastFailure?.CompletedAt, lastFailure?.LastError);

        var warnings = new List<string>();
        if (connection is null)
        {
            warnings.Add("Not connected: save the HubSpot credentials. Events that arrive are recorded as \"organization disconnected\".");
        }
        var missing = connection?.MissingScopes?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (missing.Length > 0)
        {
            warnings.Add($"The token lacks {string.Join(", ", missing)}.");
        }
        var tokenValid = connection is null ? (bool?)null : portalCalls?.TokenAccepted ?? (connection.LastVerifiedAt is not null ? true : null);
        if (tokenValid == false)
        {
            warnings.Add("HubSpot rejects the access token (401). Paste the current token from the HubSpot app.");
        }
        if (connection is not null && (lastEventAt is null || now - lastEventAt > WebhookSilenceWarning))
        {
            warnings.Add($"No webhook in the last {WebhookSilenceWarning.TotalHours:0} h.");
        }

        return new ConnectionHealth(
            organizationId,
            Connected: connection is not null,
            PortalId: connection?.PortalId,
            TokenValid: tokenValid,
            LastVerifiedAt: connection?.LastVerifiedAt,
            MissingScopes: missing,
            LastEventReceivedAt: lastEventAt,
            LastSuccessfulCallAt: portalCalls?.LastSuccessAt,
            LastError: lastError,
            LastHour: new EventCounts(Count(EventFate.Processed), Count(EventFate.Skipped), Count(EventFate.Failed),
                Count(EventFate.Duplicate) + Count(EventFate.Ignored) + Count(EventFate.Rejected), pending),
            EventsPer5Minutes: Series(window, now),
            Warnings: warnings,
            At: now);
    }

    private sealed record RecentEvent(DateTimeOffset ReceivedAt, DateTimeOffset? CompletedAt, EventFate? Fate);

    /// <summary>
    /// The events received in the last 24 h, newest first. SQLite cannot compare DateTimeOffset columns, but ids grow
    /// with arrival, so reading backwards by id and stopping at the first older event reads just the window.
    /// </summary>
    private static async Task<List<RecentEvent>> RecentAsync(IQueryable<InboxEvent> events, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - SeriesWindow - SeriesStep;
        var recent = new List<RecentEvent>();
        await foreach (var e in events.OrderByDescending(e => e.Id)
            .Select(e => new RecentEvent(e.ReceivedAt, e.CompletedAt, e.Fate)).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.ReceivedAt < since)
            {
                break;
            }
            recent.Add(e);
        }
        return recent;
    }

    /// <summary>Events received per 5-minute bucket over the last 24 h, oldest first, empty buckets included (for a chart).</summary>
    private static IReadOnlyList<SeriesPoint> Series(List<RecentEvent> recent, DateTimeOffset now)
    {
        var end = new DateTimeOffset(now.UtcTicks - now.UtcTicks % SeriesStep.Ticks, TimeSpan.Zero) + SeriesStep;
        var start = end - SeriesWindow;
        var buckets = new int[(int)(SeriesWindow / SeriesStep)];
        foreach (var at in recent.Select(e => e.ReceivedAt))
        {
            var index = (int)((at - start).Ticks / SeriesStep.Ticks);
            if (index >= 0 && index < buckets.Length)
            {
                buckets[index]++;
            }
        }
        return buckets.Select((count, i) => new SeriesPoint(start + SeriesStep * i, count)).ToList();
    }

    private static ErrorNote? LatestError(PortalCalls? calls, DateTimeOffset? failedAt, string? failedError)
    {
        var fromCalls = calls?.LastErrorAt is { } callAt ? new ErrorNote(callAt, calls.LastError ?? "", "hubspot-call") : null;
        var fromEvents = failedAt is { } eventAt ? new ErrorNote(eventAt, failedError ?? "", "event") : null;
        return fromCalls is null ? fromEvents : fromEvents is null || fromCalls.At >= fromEvents.At ? fromCalls : fromEvents;
    }
}

/// <param name="TokenValid">From the last HubSpot call (a 401 makes it false) or the last verification; null when unknown.</param>
/// <param name="LastSuccessfulCallAt">Since this process started.</param>
public sealed record ConnectionHealth(
    Guid OrganizationId,
    bool Connected,
    long? PortalId,
    bool? TokenValid,
    DateTimeOffset? LastVerifiedAt,
    IReadOnlyList<string> MissingScopes,
    DateTimeOffset? LastEventReceivedAt,
    DateTimeOffset? LastSuccessfulCallAt,
    ErrorNote? LastError,
    EventCounts LastHour,
    IReadOnlyList<SeriesPoint> EventsPer5Minutes,
    IReadOnlyList<string> Warnings,
    DateTimeOffset At);

/// <param name="Source">"hubspot-call" (a HubSpot call attempt failed) or "event" (an event's final failure).</param>
public sealed record ErrorNote(DateTimeOffset At, string Text, string Source);

/// <param name="Other">Duplicates, ignored event types and rejected (invalid) events.</param>
/// <param name="Pending">Not in the hour: events waiting right now.</param>
public sealed record EventCounts(int Processed, int Skipped, int Failed, int Other, int Pending);

public sealed record SeriesPoint(DateTimeOffset Start, int Events);
