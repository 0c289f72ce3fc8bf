using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Organizations;

/// <summary>
/// SSRF: the HubSpot address is the operator's. A tenant's apiBaseUrl is used only when the operator allows it, and a
/// refused one is never called with the tenant's token.
/// </summary>
public sealed class TenantApiAddressTests : IAsyncLifetime
{
    private HubSpotSandboxServer _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await HubSpotSandboxServer.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private object Credentials(string apiBaseUrl) => new
    {
        accessToken = _sandbox.Options.DemoToken,
        defaultUserId = _sandbox.Options.AiUserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        apiBaseUrl,
    };

    [Fact]
    public async Task Api_address_the_operator_did_not_allow_is_refused_named_and_never_called()
    {
        await using var host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?> { ["HubSpot:AllowLoopbackTenantBaseUrls"] = "false" });
        // A listener that would see the token arrive: the server must not even connect.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var target = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/";
            var org = await host.CreateOrganizationAsync();

            var response = await host.Http.PutAsJsonAsync($"api/organizations/{org.Id}/hubspot", Credentials(target));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Contains("operator", (string?)problem["errors"]?["apiBaseUrl"]?[0], StringComparison.Ordinal);
            await Task.Delay(200);
            Assert.False(listener.Pending(), "Deskbridge connected to the refused address");
            var saved = await host.GetJsonAsync<JsonObject>($"api/organizations/{org.Id}");
            Assert.Null(saved["connection"]);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Loopback_allowance_does_not_open_other_hosts()
    {
        await using var host = await DeskbridgeTestHost.StartAsync();
        var org = await host.CreateOrganizationAsync();

        foreach (var address in new[] { "http://169.254.169.254/", "http://10.0.0.1:5099/", "file:///etc/passwd", "http://user:pw@127.0.0.1:5099/" })
        {
            var response = await host.Http.PutAsJsonAsync($"api/organizations/{org.Id}/hubspot", Credentials(address));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.NotNull(problem["errors"]?["apiBaseUrl"]);
        }
        Assert.Null((await host.GetJsonAsync<JsonObject>($"api/organizations/{org.Id}"))["connection"]);
    }

    [Fact]
    public async Task Address_on_the_operators_list_connects()
    {
        await using var host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["HubSpot:AllowLoopbackTenantBaseUrls"] = "false",
            ["HubSpot:AllowedTenantBaseUrls:0"] = _sandbox.BaseAddress.ToString(),
        });
        var org = await host.CreateOrganizationAsync();

        var response = await host.Http.PutAsJsonAsync($"api/organizations/{org.Id}/hubspot", Credentials(_sandbox.BaseAddress.ToString()));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var saved = await host.GetJsonAsync<JsonObject>($"api/organizations/{org.Id}");
        Assert.Equal(_sandbox.Options.PortalId, (long)saved["connection"]!["portalId"]!);
    }
}
