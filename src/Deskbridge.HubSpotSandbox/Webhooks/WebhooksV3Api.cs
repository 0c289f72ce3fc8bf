using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Deskbridge.HubSpotSandbox.Webhooks;

public sealed record ThrottlingDto(int MaxConcurrentRequests, string? Period = "SECONDLY");

public sealed record WebhookSettingsDto(string TargetUrl, ThrottlingDto Throttling, string CreatedAt, string UpdatedAt);

public sealed record WebhookSettingsUpdate(string? TargetUrl, ThrottlingDto? Throttling);

public sealed record SubscriptionDto(string Id, string CreatedAt, string UpdatedAt, string EventType, string? PropertyName, bool Active)
{
    public static SubscriptionDto From(WebhookSubscription s) => new(
        s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), HubSpotTime.Iso(s.CreatedAt), HubSpotTime.Iso(s.UpdatedAt), s.EventType, s.PropertyName, s.Active);
}

public sealed record SubscriptionCreate(string? EventType, string? PropertyName, bool? Active);

public sealed record SubscriptionPatch(bool? Active);

/// <summary>HubSpot's webhooks v3 API (developer API key in ?hapikey=).</summary>
public static class WebhooksV3Api
{
    public static RouteGroupBuilder MapWebhooksV3Api(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/webhooks/v3/{appId:long}").RequireDeveloperApiKey();

        api.MapGet("/settings", GetSettings);
        api.MapPut("/settings", PutSettings);
        api.MapDelete("/settings", DeleteSettings);
        api.MapGet("/subscriptions", (long appId, SubscriptionStore store, SandboxOptions options) =>
            appId != options.AppId ? (IResult)AppNotFound(appId) : TypedResults.Ok(new PagedResults<SubscriptionDto>([.. store.All().Select(SubscriptionDto.From)])));
        api.MapPost("/subscriptions", CreateSubscription);
        api.MapGet("/subscriptions/{subscriptionId:long}", (long appId, long subscriptionId, SubscriptionStore store, SandboxOptions options) =>
            appId != options.AppId ? (IResult)AppNotFound(appId)
            : store.Find(subscriptionId) is { } s ? TypedResults.Ok(SubscriptionDto.From(s)) : HubSpotErrors.NotFound($"Subscription {subscriptionId} not found"));
        api.MapPatch("/subscriptions/{subscriptionId:long}", (long appId, long subscriptionId, SubscriptionPatch patch, SubscriptionStore store, SandboxOptions options) =>
            appId != options.AppId ? (IResult)AppNotFound(appId)
            : store.SetActive(subscriptionId, patch.Active ?? true) is { } s ? TypedResults.Ok(SubscriptionDto.From(s)) : HubSpotErrors.NotFound($"Subscription {subscriptionId} not found"));
        api.MapDelete("/subscriptions/{subscriptionId:long}", (long appId, long subscriptionId, SubscriptionStore store, SandboxOptions options) =>
            appId != options.AppId ? (IResult)AppNotFound(appId)
            : store.Remove(subscriptionId) ? TypedResults.NoContent() : HubSpotErrors.NotFound($"Subscription {subscriptionId} not found"));
        return api;
    }

    public static WebhookSettingsDto ToDto(WebhookSettings s) =>
        new(s.TargetUrl ?? "", new ThrottlingDto(s.MaxConcurrentRequests, s.Period), HubSpotTime.Iso(s.CreatedAt), HubSpotTime.Iso(s.UpdatedAt));

    private static Results<Ok<WebhookSettingsDto>, JsonHttpResult<HubSpotErrorBody>> GetSettings(long appId, WebhookSettingsStore store, SandboxOptions options)
    {
        if (appId != options.AppId)
        {
            return AppNotFound(appId);
        }

        var settings = store.Current;
        return settings.TargetUrl is null ? HubSpotErrors.NotFound($"No webhook settings found for app {appId}") : TypedResults.Ok(ToDto(settings));
    }

    private static Results<Ok<WebhookSettingsDto>, JsonHttpResult<HubSpotErrorBody>> PutSettings(
        long appId, WebhookSettingsUpdate update, WebhookSettingsStore store, SandboxOptions options)
    {
        if (appId != options.AppId)
        {
            return AppNotFound(appId);
        }

        if (!Uri.TryCreate(update.TargetUrl, UriKind.Absolute, out _))
        {
            return HubSpotErrors.Validation("targetUrl must be a valid absolute URL");
        }

        // The spec's SettingsChangeRequest requires throttling (and its maxConcurrentRequests); HubSpot: greater than 5.
        if (update.Throttling is null)
        {
            return HubSpotErrors.Validation("throttling is required");
        }

        if (update.Throttling is { MaxConcurrentRequests: <= 5 })
        {
            return HubSpotErrors.Validation("throttling.maxConcurrentRequests must be greater than 5");
        }

        if (update.Throttling.Period is not (null or "SECONDLY" or "ROLLING_MINUTE"))
        {
            return HubSpotErrors.Validation("throttling.period must be SECONDLY or ROLLING_MINUTE");
        }

        return TypedResults.Ok(ToDto(store.Update(update.TargetUrl, update.Throttling.MaxConcurrentRequests, update.Throttling.Period)));
    }

    private static Results<NoContent, JsonHttpResult<HubSpotErrorBody>> DeleteSettings(long appId, WebhookSettingsStore store, SandboxOptions options)
    {
        if (appId != options.AppId)
        {
            return AppNotFound(appId);
        }

        store.Update(null, null);
        return TypedResults.NoContent();
    }

    private static Results<Created<SubscriptionDto>, JsonHttpResult<HubSpotErrorBody>> CreateSubscription(
        long appId, SubscriptionCreate create, SubscriptionStore store, SandboxOptions options)
    {
        if (appId != options.AppId)
        {
            return AppNotFound(appId);
        }

        if (Validate(create.EventType, create.PropertyName) is { } error)
        {
            return HubSpotErrors.Validation(error);
        }

        var subscription = store.Add(create.EventType!, create.PropertyName, create.Active ?? true);
        return TypedResults.Created($"/webhooks/v3/{appId}/subscriptions/{subscription.Id}", SubscriptionDto.From(subscription));
    }

    public static string? Validate(string? eventType, string? propertyName)
    {
        if (string.IsNullOrEmpty(eventType) || !SubscriptionTypes.Known.Contains(eventType))
        {
            return $"Unknown eventType '{eventType}'. Known: {string.Join(", ", SubscriptionTypes.Known.Order())}";
        }

        return SubscriptionTypes.RequiresPropertyName(eventType) && string.IsNullOrEmpty(propertyName)
            ? $"propertyName is required for {eventType} subscriptions"
            : null;
    }

    private static JsonHttpResult<HubSpotErrorBody> AppNotFound(long appId) => HubSpotErrors.NotFound($"App {appId} not found");
}
