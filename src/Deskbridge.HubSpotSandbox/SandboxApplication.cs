using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Conversations;
using Deskbridge.HubSpotSandbox.Crm;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.HubSpotSandbox.Infrastructure;
using Deskbridge.HubSpotSandbox.Introspection;
using Deskbridge.HubSpotSandbox.OAuth;
using Deskbridge.HubSpotSandbox.Portals;
using Deskbridge.HubSpotSandbox.RateLimiting;
using Deskbridge.HubSpotSandbox.RequestLog;
using Deskbridge.HubSpotSandbox.Simulation;
using Deskbridge.HubSpotSandbox.Validation;
using Deskbridge.HubSpotSandbox.Webhooks;
using Deskbridge.HubSpotSandbox.WorkflowActions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Deskbridge.HubSpotSandbox;

/// <summary>Registration and endpoint mapping of the sandbox, used by Program.cs and by <see cref="HubSpotSandboxServer"/>.</summary>
public static class SandboxApplication
{
    public const string AdminPrefix = "/_sandbox";

    public static WebApplicationBuilder AddHubSpotSandbox(this WebApplicationBuilder builder, SandboxOptions options)
    {
        var services = builder.Services;
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(json => SandboxJson.Configure(json.SerializerOptions));

        // Binding failures throw, so RequestValidationMiddleware can answer them with HubSpot's error body.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        AddPortalState(services);
        services.AddSingleton<PortalRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<PortalRegistry>());
        services.AddSingleton<OAuth.OAuthApps>();

        AddWebhookDelivery(services);
        WorkflowActionsAdminApi.AddWorkflowActions(services);
        return builder;
    }

    /// <summary>
    /// Everything one portal keeps for itself: its options, tokens, limits, faults, request log, CRM, conversations and
    /// webhooks. The default portal's live in the application's container; every other portal gets a container of its own
    /// with the same registrations (<see cref="PortalRegistry"/>), so the code of an endpoint does not know which portal it serves.
    /// </summary>
    internal static void AddPortalState(IServiceCollection services)
    {
        // State: one instance each, thread-safe.
        services.AddSingleton<SeedClock>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<FaultStore>();
        services.AddSingleton<RequestLogStore>();
        services.AddSingleton<CrmStore>();
        services.AddSingleton<AssociationStore>();
        services.AddSingleton<PropertyCatalog>();
        services.AddSingleton<OwnerStore>();
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<InboxRouting>();
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<WebhookSettingsStore>();
        services.AddSingleton<WebhookQueue>();
        services.AddSingleton<DeliveryLog>();

        // Behaviour.
        services.AddSingleton<CrmValidator>();
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<CrmService>();
        services.AddSingleton<ConversationService>();
        services.AddSingleton<SimulationService>();
        services.AddSingleton<SandboxSeeder>();
    }

    internal static void AddWebhookDelivery(IServiceCollection services)
    {
        services.AddHostedService<WebhookDeliveryService>();
        services.AddHttpClient(WebhookDeliveryService.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan); // per-attempt timeout comes from WebhookTimeout
    }

    public static WebApplication MapHubSpotSandbox(this WebApplication app)
    {
        // Which portal a request is for (its token, the app id in a webhooks v3 path, or /_sandbox/portals/{id}/…) decides
        // the services it sees; it runs before routing because it may rewrite an admin path to the shared admin endpoints.
        app.UseMiddleware<PortalSelectionMiddleware>();
        app.UseRouting();

        // HubSpot's edge, in order: log every public call, injected faults, authentication, rate limits, scopes, request validation.
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseWhen(context => !context.Request.Path.StartsWithSegments(AdminPrefix), branch => branch.UseMiddleware<FaultMiddleware>());
        app.UseMiddleware<HubSpotAuthMiddleware>();
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseMiddleware<ScopeMiddleware>();
        app.UseMiddleware<RequestValidationMiddleware>();

        app.MapConversationsApi();
        app.MapCrmObjectsApi();
        app.MapOwnersApi();
        app.MapPropertiesApi();
        app.MapAssociationsV4Api();
        app.MapIntrospectionApi();
        app.MapOAuthApi();
        app.MapWebhooksV3Api();
        app.MapActionsV4Api();

        app.MapAdminApi();
        app.MapInspectionApi();
        app.MapWebhooksAdminApi();
        app.MapSimulationApi();
        app.MapPortalsAdminApi();
        app.MapWorkflowActionsAdminApi();
        app.MapOAuthAdminApi();
        app.MapFallback(() => HubSpotErrors.NotFound("resource not found"));

        app.Services.GetRequiredService<SandboxSeeder>().Seed();
        return app;
    }
}
