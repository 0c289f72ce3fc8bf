using Deskbridge.Inbox;
using Deskbridge.Storage;
using Deskbridge.Telemetry;
using Deskbridge.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.HubSpotApp;

public sealed record AppWebhookRefusal(long? PortalId, string? EventId, string Reason);

/// <summary>The app endpoint's answer: what each organization's inbox stored, plus every event refused for its portal.</summary>
public sealed record AppWebhookResult(int Accepted, int Duplicates, int Ignored, int Rejected, int Refused, IReadOnlyList<AppWebhookRefusal> Refusals);

/// <summary>
/// U1: the one webhook endpoint of the OAuth app. HubSpot sends every installing portal's events here; the v3 signature
/// with the app's client secret is required (there is no per-organization URL to vouch for the caller); each event goes
/// to the organization that installed the app in its <c>portalId</c>, into the same inbox as the private-app path. An
/// event of a portal no organization has (fully) installed is recorded in <see cref="UnroutedAppEvent"/> and refused.
/// </summary>
public static partial class AppWebhookEndpoint
{
    public const string Path = "/webhooks/hubspot-app";

    public static async Task<Results<Ok<AppWebhookResult>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, IOptions<HubSpotAppOptions> app, IOptions<WebhookOptions> options, DeskbridgeDb db, InboxBatcher inbox,
        TimeProvider time, DeskbridgeMetrics metrics, ILogger<HubSpotAppOptions> logger, CancellationToken ct)
    {
        if (!app.Value.IsConfigured)
        {
            return Problem(StatusCodes.Status404NotFound, "No HubSpot app", "This Deskbridge has no HubSpot app configured (HubSpot:App); use the organization's own webhook URL.");
        }
        var settings = options.Value;
        var now = time.GetUtcNow();
        var body = await WebhookEndpoints.ReadBodyAsync(request, settings.MaxBodyBytes, ct);
        if (body is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Body too large", $"The body exceeds {settings.MaxBodyBytes} bytes; HubSpot sends at most 100 events per request.");
        }
        var check = HubSpotSignature.VerifyV3(app.Value.ClientSecret!, request.Method, WebhookEndpoints.PublicUri(request, settings), body,
            request.Headers["X-HubSpot-Signature-v3"], request.Headers["X-HubSpot-Request-Timestamp"], now, settings.SignatureMaxAge);
        if (!check.IsValid)
        {
            LogBadSignature(logger, check.Problem!);
            return Problem(StatusCodes.Status401Unauthorized, "Invalid HubSpot signature", $"{check.Problem} (the app's client secret signs every app webhook).");
        }
        if (!WebhookBatch.TryParse(body, out var events, out var error))
        {
            return Problem(StatusCodes.Status400BadRequest, "Malformed webhook body", error!);
        }

        var portals = events.Where(e => e.PortalId is not null).Select(e => e.PortalId!.Value).Distinct().ToList();
        var installed = await (
            from g in db.HubSpotAppGrants.AsNoTracking()
            join c in db.Connections.AsNoTracking() on g.OrganizationId equals c.OrganizationId
            where portals.Contains(g.PortalId)
            select new { g.PortalId, g.OrganizationId, c.DefaultUserId }).ToListAsync(ct);
        var byPortal = installed.ToDictionary(i => i.PortalId);

        var groups = new Dictionary<Guid, List<WebhookEnvelope>>();
        var refusals = new List<(WebhookEnvelope Event, string Reason)>();
        foreach (var e in events)
        {
            var reason = e.PortalId is not { } portalId
                ? e.Rejection ?? "The event names no portalId."
                : !byPortal.TryGetValue(portalId, out var target)
                    ? $"No organization has installed the HubSpot app in portal {portalId}."
                    : target.DefaultUserId <= 0
                        ? $"Portal {portalId}'s organization installed the app but has not chosen its AI user yet."
                        : null;
            if (reason is not null)
            {
                refusals.Add((e, reason));
                continue;
            }
            var organizationId = byPortal[e.PortalId!.Value].OrganizationId;
            if (!groups.TryGetValue(organizationId, out var group))
            {
                groups[organizationId] = group = [];
            }
            group.Add(e);
        }

        if (refusals.Count > 0)
        {
            db.UnroutedAppEvents.AddRange(refusals.Select(r => new UnroutedAppEvent
            {
                PortalId = r.Event.PortalId,
                EventId = long.TryParse(r.Event.EventId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null,
                SubscriptionType = r.Event.SubscriptionType.Length > 100 ? r.Event.SubscriptionType[..100] : r.Event.SubscriptionType,
                Reason = r.Reason,
                Payload = r.Event.Raw,
                ReceivedAt = now,
            }));
            await db.SaveChangesAsync(ct);
            LogRefused(logger, refusals.Count, string.Join(", ", refusals.Select(r => r.Event.PortalId).Distinct()));
        }

        int accepted = 0, duplicates = 0, ignored = 0, rejected = 0;
        foreach (var (organizationId, group) in groups)
        {
            try
            {
                using var activity = DeskbridgeTelemetry.StartBatch(organizationId, group.Count);
                var stored = await inbox.WriteAsync(new IncomingBatch(organizationId, group, (activity ?? System.Diagnostics.Activity.Current)?.Id), ct);
                accepted += stored.Accepted;
                duplicates += stored.Duplicates;
                ignored += stored.Ignored;
                rejected += stored.Rejected;
                metrics.EventsStoredWithFate(nameof(EventFate.Duplicate), stored.Duplicates);
                metrics.EventsStoredWithFate(nameof(EventFate.Ignored), stored.Ignored);
                metrics.EventsStoredWithFate(nameof(EventFate.Rejected), stored.Rejected);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // 503: HubSpot sends the whole batch again; what was stored already comes back as duplicates.
                LogStoreFailed(logger, ex, organizationId, group.Count);
                return Problem(StatusCodes.Status503ServiceUnavailable, "Inbox unavailable", "The events could not be stored; HubSpot will retry the delivery.");
            }
        }

        var refusedView = refusals.Select(r => new AppWebhookRefusal(r.Event.PortalId, r.Event.EventId, r.Reason)).ToList();
        if (events.Count > 0 && refusals.Count == events.Count)
        {
            // Nothing here is anyone's: refused (HubSpot retries a 4xx, so an install finished meanwhile still gets them), and recorded.
            return Problem(StatusCodes.Status404NotFound, "Portal not installed", string.Join(" ", refusedView.Select(r => r.Reason).Distinct()));
        }
        return TypedResults.Ok(new AppWebhookResult(accepted, duplicates, ignored, rejected, refusals.Count, refusedView));
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(title: title, detail: detail, statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected an app webhook: {Problem}")]
    private static partial void LogBadSignature(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Count} app webhook event(s) of portal(s) {Portals}: no organization has installed the app there")]
    private static partial void LogRefused(ILogger logger, int count, string portals);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} app webhook events for organization {OrganizationId}; answered 503")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, Guid organizationId, int count);
}
