using Deskbridge.HubSpot;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Webhooks;

/// <summary>
/// Start-up: a real portal connected while the public address is still unset or local means HubSpot cannot reach the
/// webhook URLs it was given and agents get handoff links to localhost. Said once, loudly, at start.
/// </summary>
public sealed partial class PublicAddressCheck(
    IServiceScopeFactory scopes, IOptions<WebhookOptions> webhooks, IOptions<HubSpotOptions> hubSpot, ILogger<PublicAddressCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var address = webhooks.Value.PublicBaseOrFallback;
        if (!address.IsLoopback || hubSpot.Value.BaseUrl.IsLoopback)
        {
            return;
        }
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        // Connections with their own (sandbox) address are not real portals.
        var realPortals = await db.Connections.AsNoTracking().CountAsync(c => c.ApiBaseUrl == null, cancellationToken);
        if (realPortals > 0)
        {
            LogLocalAddress(logger, address, realPortals);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhooks:PublicBaseUrl is {Address} while {Count} organization(s) are connected to a real HubSpot portal: HubSpot cannot call a local address and handoff notes would link agents to it. Set Webhooks:PublicBaseUrl to Deskbridge's public https address.")]
    private static partial void LogLocalAddress(ILogger logger, Uri address, int count);
}
