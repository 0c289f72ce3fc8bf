using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;
using Deskbridge.HubSpotSandbox.Webhooks;

namespace Deskbridge.HubSpotSandbox.Admin;

public sealed record AdminWebhookSettingsUpdate(string? TargetUrl, int? EventsPerSecond);

public sealed record AdminWebhookSettingsView(string? TargetUrl, int EventsPerSecond, bool Paused, int PendingEvents);

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

            var current = settings.Current;
            return TypedResults.Ok(View(settings.Update(update.TargetUrl ?? current.TargetUrl, update.EventsPerSecond), queue));
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
