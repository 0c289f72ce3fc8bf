using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;
using Deskbridge.HubSpotSandbox.Webhooks;

namespace Deskbridge.HubSpotSandbox.Admin;

/// <param name="EventsPerSecond">The old throttle model, refused with a pointer to <paramref name="MaxConcurrentRequests"/>.</param>
public sealed record AdminWebhookSettingsUpdate(string? TargetUrl, int? MaxConcurrentRequests, int? EventsPerSecond = null);

public sealed record AdminWebhookSettingsView(string? TargetUrl, int MaxConcurrentRequests, bool Paused, int PendingEvents);

public sealed record AdminSubscriptionCreate(string? EventType, string? PropertyName, bool? Active);

public sealed record DeliveriesView(IReadOnlyList<DeliveryAttempt> Results, int PendingEvents, bool Paused);

/// <summary>/_sandbox/webhooks: settings, subscriptions, pause/resume, delivery attempts and published events.</summary>
public static class WebhooksAdminApi
{
    public static RouteGroupBuilder MapWebhooksAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(SandboxApplication.AdminPrefix + "/webhooks");

        api.MapGet("/settings", (WebhookSettingsStore settings, WebhookQueue queue) => TypedResults.Ok(View(settings.Current, queue)));
        api.MapPut("/settings", (AdminWebhookSettingsUpdate update, WebhookSettingsStore settings, WebhookQueue queue) =>
        {
            if (update.TargetUrl is not null && !Uri.TryCreate(update.TargetUrl, UriKind.Absolute, out _))
            {
                return (IResult)HubSpotErrors.Validation("targetUrl must be an absolute URL");
            }

            // Silently ignoring the old knob would leave a caller believing it set a throttle it did not.
            if (update.EventsPerSecond is not null)
            {
                return HubSpotErrors.Validation("eventsPerSecond is gone: HubSpot throttles requests in flight; set maxConcurrentRequests");
            }

            if (update.MaxConcurrentRequests is < 1)
            {
                return HubSpotErrors.Validation("maxConcurrentRequests must be at least 1");
            }

            var current = settings.Current;
            return TypedResults.Ok(View(settings.Update(update.TargetUrl ?? current.TargetUrl, update.MaxConcurrentRequests), queue));
        });

        api.MapGet("/subscriptions", (SubscriptionStore store) => TypedResults.Ok(new PagedResults<SubscriptionDto>([.. store.All().Select(SubscriptionDto.From)])));
        api.MapPost("/subscriptions", (AdminSubscriptionCreate create, SubscriptionStore store) =>
            WebhooksV3Api.Validate(create.EventType, create.PropertyName) is { } error
                ? (IResult)HubSpotErrors.Validation(error)
                : TypedResults.Created((string?)null, SubscriptionDto.From(store.Add(create.EventType!, create.PropertyName, create.Active ?? true))));
        api.MapDelete("/subscriptions/{id:long}", (long id, SubscriptionStore store) =>
            store.Remove(id) ? TypedResults.NoContent() : (IResult)HubSpotErrors.NotFound($"Subscription {id} not found"));
        api.MapDelete("/subscriptions", (SubscriptionStore store) =>
        {
            store.Clear();
            return TypedResults.NoContent();
        });

        api.MapPost("/pause", (WebhookQueue queue) =>
        {
            queue.SetPaused(true);
            return TypedResults.NoContent();
        });
        api.MapPost("/resume", (WebhookQueue queue) =>
        {
            queue.SetPaused(false);
            return TypedResults.NoContent();
        });

        api.MapGet("/deliveries", (DeliveryLog log, WebhookQueue queue) => TypedResults.Ok(new DeliveriesView(log.All(), queue.PendingEvents, queue.Paused)));
        api.MapGet("/events", (WebhookPublisher publisher) => TypedResults.Ok(new PagedResults<WebhookEvent>(publisher.History())));
        return api;
    }

    private static AdminWebhookSettingsView View(WebhookSettings settings, WebhookQueue queue) =>
        new(settings.TargetUrl, settings.MaxConcurrentRequests, queue.Paused, queue.PendingEvents);
}
