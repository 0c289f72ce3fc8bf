using System.Net;
using System.Net.Sockets;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Demo;

/// <summary>The README's demo, started for real: its own sandbox, the demo organization connected to it, webhooks pointed back.</summary>
public sealed class DemoSetupTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Demo_points_its_sandbox_webhooks_at_the_demo_organization_with_the_setup_guides_subscriptions()
    {
        // A port of its own: the default (5099) may be taken by a demo someone is running.
        var sandboxUrl = $"http://127.0.0.1:{FreePort()}";
        await using var host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:SandboxUrl"] = sandboxUrl,
        });
        using var http = new HttpClient { BaseAddress = new Uri(sandboxUrl + "/") };
        var sandbox = new SandboxAdminClient(http);

        var settings = await Eventually.UntilAsync(() => sandbox.WebhookSettingsAsync(), s => s.TargetUrl is not null, what: "the demo to set the webhook target");
        var demo = Assert.Single(await host.GetJsonAsync<List<DeskbridgeApi.Organization>>("api/organizations"), o => o.Slug == "demo");
        Assert.Equal(new Uri(demo.WebhookUrl).AbsolutePath, new Uri(settings.TargetUrl!).AbsolutePath);
        Assert.Equal(100, settings.MaxConcurrentRequests);
        var subscriptions = await Eventually.UntilAsync(() => sandbox.SubscriptionsAsync(), s => s.Count >= 8, what: "the demo's eight subscriptions");
        Assert.Equal(
            ["conversation.creation", "conversation.newMessage", "conversation.propertyChange:assignedTo", "conversation.propertyChange:status",
                "ticket.propertyChange:content", "ticket.propertyChange:hs_pipeline_stage",
                "ticket.propertyChange:hs_ticket_priority", "ticket.propertyChange:subject"],
            subscriptions.Select(s => s.PropertyName is null ? s.EventType : $"{s.EventType}:{s.PropertyName}").Order(StringComparer.Ordinal));
        Assert.All(subscriptions, s => Assert.True(s.Active));
    }
}
