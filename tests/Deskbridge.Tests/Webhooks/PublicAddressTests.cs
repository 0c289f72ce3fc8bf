using Deskbridge.Organizations;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Deskbridge.Tests.Webhooks;

/// <summary>One public address for webhook URLs and session links; a local one with a real portal connected is called out at start.</summary>
public sealed class PublicAddressTests
{
    [Fact]
    public async Task Session_links_and_webhook_urls_share_the_one_public_address()
    {
        await using var host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Webhooks:PublicBaseUrl"] = "https://desk.example.com/" });
        var organization = await host.CreateOrganizationAsync();
        using var scope = host.Services.CreateScope();

        var link = scope.ServiceProvider.GetRequiredService<Deskbridge.Handoff.HandoffService>()
            .SessionLink(new Deskbridge.Sessions.Session { OrganizationId = organization.Id, ThreadId = "1" });

        Assert.StartsWith("https://desk.example.com/sessions/", link.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("https://desk.example.com/webhooks/hubspot/", organization.WebhookUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_warns_when_a_real_portal_is_connected_and_the_public_address_is_local()
    {
        var data = DeskbridgeTestHost.NewDataDirectory();
        await using (var first = await DeskbridgeTestHost.StartAsync(data))
        {
            var organization = await first.CreateOrganizationAsync();
            using var scope = first.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
            // A connection to HubSpot itself (no sandbox address), as a real deployment has after saving a token.
            db.Connections.Add(new HubSpotConnection
            {
                OrganizationId = organization.Id, EncryptedAccessToken = "x", TokenLast4 = "0000", PortalId = 1, DefaultUserId = 1, ConnectedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var logs = new CapturingLoggerProvider();
        await using var restarted = await DeskbridgeTestHost.StartAsync(data, configure: builder => builder.Logging.AddProvider(logs));

        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal)
            && l.Contains("Webhooks:PublicBaseUrl is http://localhost:5000/ while 1 organization(s) are connected to a real HubSpot portal", StringComparison.Ordinal));
    }
}
