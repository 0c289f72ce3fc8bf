using Deskbridge.HubSpot;
using Deskbridge.Storage;
using Deskbridge.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Organizations;

/// <summary>
/// HubSpot:AccessToken in configuration connects the "default" organization at start-up, verified like a save in the
/// settings (S3). The admin API remains the way to connect more organizations.
/// </summary>
public sealed partial class ConfiguredConnection(
    IServiceScopeFactory scopes, IOptions<HubSpotOptions> options, WebhookUrls urls, ILogger<ConfiguredConnection> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.AccessToken))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Slug == "default", cancellationToken);
        if (organization is null)
        {
            organization = new Organization { Name = "Default", Slug = "default", CreatedAt = DateTimeOffset.UtcNow, AutopilotChannels = "chat,email" };
            db.Organizations.Add(organization);
            await db.SaveChangesAsync(cancellationToken);
        }

        var check = await scope.ServiceProvider.GetRequiredService<ConnectionService>().SaveAsync(organization,
            // Configuration is the whole truth here: no HubSpot:ClientSecret means none, not "keep the one saved before".
            new CredentialsForm(settings.AccessToken, settings.DefaultUserId, settings.ClientSecret, null,
                RemoveClientSecret: string.IsNullOrWhiteSpace(settings.ClientSecret)), cancellationToken);
        if (check.Saved)
        {
            LogConnected(logger, check.PortalId ?? 0, check.Region ?? "?", check.MissingScopes.Count == 0 ? "none" : string.Join(", ", check.MissingScopes),
                urls.For(organization, (Uri?)null));
        }
        else
        {
            LogNotConnected(logger, string.Join(" ", check.Errors.SelectMany(e => e.Value)));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected the default organization to HubSpot portal {PortalId} ({Region}); missing scopes: {MissingScopes}. Paste this webhook URL into the app's Webhooks tab: {WebhookUrl}")]
    private static partial void LogConnected(ILogger logger, long portalId, string region, string missingScopes, Uri webhookUrl);

    [LoggerMessage(Level = LogLevel.Error, Message = "HubSpot:AccessToken is set but could not be used: {Problem}")]
    private static partial void LogNotConnected(ILogger logger, string problem);
}
