using Deskbridge.HubSpotSandbox;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.Organizations;
using Deskbridge.Storage;
using Deskbridge.Webhooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Demo;

/// <summary>
/// With no HubSpot token configured, Deskbridge runs against its own HubSpot sandbox: a seeded demo portal, a demo
/// organization connected to it, and the portal's webhook subscriptions pointed back at this service — the whole
/// loop on one machine, no HubSpot account needed.
/// </summary>
public sealed partial class DemoSetup(
    IServiceScopeFactory scopes,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<DemoOptions> options,
    ILogger<DemoSetup> logger) : IHostedService, IAsyncDisposable
{
    public const string DemoSlug = "demo";
    private const string DemoKeyName = "demo (start-up log)";
    private HubSpotSandboxServer? _sandbox;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var sandboxOptions = new SandboxOptions { WebhookMaxConcurrentRequests = settings.WebhookMaxConcurrentRequests };
        // The one convenience beyond a new real portal: its inbox routes new threads to the AI user (HubSpot: Inbox settings → Routing).
        sandboxOptions.DefaultAssigneeUserId = sandboxOptions.AiUserId;
        LogDemoConveniences(logger, sandboxOptions.AiUserId);
        _sandbox = await HubSpotSandboxServer.StartAsync(sandboxOptions, settings.SandboxUrl, cancellationToken);

        // Our own address is known only once the server listens.
        lifetime.ApplicationStarted.Register(() => _ = ConnectDemoAsync(lifetime.ApplicationStopping));
    }

    private async Task ConnectDemoAsync(CancellationToken ct)
    {
        try
        {
            var portal = _sandbox!;
            var serviceUrl = new Uri(server.Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("://[::]", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal).TrimEnd('/') + "/");

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
            var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Slug == DemoSlug, ct);
            if (organization is null)
            {
                organization = new Organization { Name = "Demo Shop", Slug = DemoSlug, CreatedAt = DateTimeOffset.UtcNow, AutopilotChannels = "chat,email" };
                db.Organizations.Add(organization);
                await db.SaveChangesAsync(ct);
            }
            await DemoKnowledge.SeedAsync(scope.ServiceProvider, organization, logger, ct);

            // The sandbox is the operator's own: its address is allowed for the demo organization (and any other the demo's people connect).
            scope.ServiceProvider.GetRequiredService<HubSpotAddressPolicy>().Allow(portal.BaseAddress);
            var check = await scope.ServiceProvider.GetRequiredService<ConnectionService>().SaveAsync(organization,
                new CredentialsForm(portal.Options.DemoToken, portal.Options.AiUserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    portal.Options.ClientSecret, portal.BaseAddress.ToString()), ct);
            if (!check.Saved)
            {
                LogDemoFailed(logger, string.Join("; ", check.Errors.SelectMany(e => e.Value)));
                return;
            }

            var webhookUrl = scope.ServiceProvider.GetRequiredService<WebhookUrls>().For(organization, serviceUrl);
            using var http = new HttpClient { BaseAddress = portal.BaseAddress };
            var admin = new SandboxAdminClient(http);
            await admin.SetWebhookSettingsAsync(webhookUrl.OriginalString, options.Value.WebhookMaxConcurrentRequests, ct);
            var existing = await admin.SubscriptionsAsync(ct);
            foreach (var (eventType, property) in DemoSubscriptions)
            {
                if (!existing.Any(s => s.EventType == eventType && s.PropertyName == property))
                {
                    await admin.SubscribeAsync(eventType, property, ct: ct);
                }
            }

            // S1: a person for the dashboard, and an API key for curl (only its hash is stored, so each start makes a new one).
            var accounts = scope.ServiceProvider.GetRequiredService<Accounts.AccountService>();
            await accounts.EnsureOwnerAsync(options.Value.OwnerEmail, options.Value.OwnerPassword, [organization.Id], ct);
            foreach (var old in (await accounts.ApiKeysAsync(organization.Id, ct)).Where(k => k.Name == DemoKeyName && k.RevokedAt is null))
            {
                await accounts.RevokeApiKeyAsync(organization.Id, old.Id, ct);
            }
            var key = await accounts.CreateApiKeyAsync(organization.Id, DemoKeyName, Accounts.OrganizationRole.Admin, "demo", ct);
            LogDemoReady(logger, portal.BaseAddress, webhookUrl, organization.Id);
            LogDemoSignIn(logger, serviceUrl, options.Value.OwnerEmail, options.Value.OwnerPassword, key.Key);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDemoFailed(logger, ex.Message);
        }
    }

    /// <summary>The subscriptions our setup guide asks for (connect-hubspot step 5).</summary>
    private static readonly (string EventType, string? Property)[] DemoSubscriptions =
    [
        ("conversation.creation", null),
        ("conversation.newMessage", null),
        // G5: assignment and status changes (a human taking the thread).
        ("conversation.propertyChange", "assignedTo"),
        ("conversation.propertyChange", "status"),
        ("ticket.propertyChange", "subject"),
        ("ticket.propertyChange", "content"),
        ("ticket.propertyChange", "hs_pipeline_stage"),
        ("ticket.propertyChange", "hs_ticket_priority"),
    ];

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
            _sandbox = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo ready. HubSpot sandbox: {SandboxUrl} (write as a customer: POST _sandbox/simulate/customer-message). Webhook URL: {WebhookUrl}. Demo organization: {OrganizationId}")]
    private static partial void LogDemoReady(ILogger logger, Uri sandboxUrl, Uri webhookUrl, Guid organizationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: {DashboardUrl} — sign in as {Email} with password {Password} (demo only; set Demo:OwnerPassword to change it). Demo organization API key for scripts (X-Api-Key): {ApiKey}")]
    private static partial void LogDemoSignIn(ILogger logger, Uri dashboardUrl, string email, string password, string apiKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo sandbox conveniences: inbox routing assigns new threads to the AI user {AiUserId} (a new real portal leaves them unassigned; Deskbridge answers both). Everything else is as a real portal: no custom properties until Deskbridge creates opencx_handedoff.")]
    private static partial void LogDemoConveniences(ILogger logger, long aiUserId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The demo could not be set up: {Problem}")]
    private static partial void LogDemoFailed(ILogger logger, string problem);
}
