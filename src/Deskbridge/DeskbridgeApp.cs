using Deskbridge.Accounts;
using Deskbridge.Analytics;
using Deskbridge.BusinessHours;
using Deskbridge.Policies;
using Deskbridge.Agents;
using Deskbridge.Conversations;
using Deskbridge.ConversationsList;
using Deskbridge.Dashboard;
using Deskbridge.Demo;
using Deskbridge.EventLog;
using Deskbridge.Handoff;
using Deskbridge.Health;
using Deskbridge.HubSpot;
using Deskbridge.HubSpotApp;
using Deskbridge.Inbox;
using Deskbridge.Knowledge;
using Deskbridge.Knowledge.Gaps;
using Deskbridge.Organizations;
using Deskbridge.Outcomes;
using Deskbridge.Playground;
using Deskbridge.Retention;
using Deskbridge.Signatures;
using Deskbridge.Storage;
using Deskbridge.Telemetry;
using Deskbridge.Threads;
using Deskbridge.Webhooks;
using Deskbridge.WorkflowActions;

namespace Deskbridge;

/// <summary>The service's table of contents: one Add and one Map per feature. Tests build the same app.</summary>
public static class DeskbridgeApp
{
    /// <param name="settings">Configuration that wins over files and environment (tests use it).</param>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

        builder.AddStorage();
        builder.AddHubSpot();
        builder.AddHubSpotApp();
        builder.AddOrganizations();
        builder.AddWebhooks();
        builder.AddInbox();
        builder.AddThreads();
        builder.AddConversations();
        builder.AddHandoff();
        builder.AddOutcomes();
        builder.AddPolicies();
        builder.AddBusinessHours();
        builder.AddRetention();
        builder.AddSupportAgent();
        builder.AddKnowledge();
        builder.AddKnowledgeGaps();
        builder.AddDemo();
        builder.AddSignatures();
        builder.AddPlayground();
        builder.AddConnectionHealth();
        builder.AddTelemetry();
        builder.AddAccounts();
        builder.AddDashboard();
        builder.AddAttemptLimits();
        builder.AddWorkflowActions();
        builder.AddConversationsList();
        builder.AddAnalytics();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapGet("/healthz", () => TypedResults.Ok("ok")).ExcludeFromDescription();
        app.MapWebhookEndpoints();
        app.MapHubSpotApp();
        app.MapOrganizationEndpoints();
        app.MapEventLogEndpoints();
        app.MapAccountEndpoints();
        app.MapDashboard();
        app.MapRoutingRuleEndpoints();
        app.MapConversationControlEndpoints();
        app.MapSignatureEndpoints();
        app.MapPlayground();
        app.MapHealthEndpoints();
        app.MapWorkflowActions();
        app.MapPolicies();
        app.MapBusinessHours();
        app.MapKnowledge();
        app.MapConversationsList();
        app.MapKnowledgeGaps();
        app.MapAnalyticsEndpoints();
        return app;
    }

    public static async Task RunAsync(string[] args)
    {
        // The service process only (tests build the app in their own process): before the host allocates much.
        Hosting.MallocTuning.Apply();
        var app = Build(args);
        await app.MigrateDatabaseAsync();
        await app.RunAsync();
    }
}
