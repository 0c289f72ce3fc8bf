using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Organizations;

/// <summary>Saving credentials again, and what the API says about a connection.</summary>
public sealed class CredentialsResaveTests : IAsyncLifetime
{
    private HubSpotSandboxServer _sandbox = null!;
    private DeskbridgeTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await HubSpotSandboxServer.StartAsync(new SandboxOptions { Region = "eu1" });
        _host = await DeskbridgeTestHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private async Task<HttpResponseMessage> SaveAsync(Guid organizationId, string token, string? clientSecret = null, bool? removeClientSecret = null) =>
        await _host.Http.PutAsJsonAsync($"api/organizations/{organizationId}/hubspot", new
        {
            accessToken = token,
            defaultUserId = _sandbox.Options.AiUserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            clientSecret,
            removeClientSecret,
            apiBaseUrl = _sandbox.BaseAddress.ToString(),
        });

    private async Task<bool> HasClientSecretAsync(Guid organizationId) =>
        (bool)(await _host.GetJsonAsync<JsonObject>($"api/organizations/{organizationId}"))["connection"]!["hasClientSecret"]!;

    private async Task<string> NewTokenAsync(params string[] scopes)
    {
        using var http = new HttpClient { BaseAddress = _sandbox.BaseAddress };
        return (await new SandboxAdminClient(http).CreateTokenAsync(scopes)).Token;
    }

    [Fact]
    public async Task Resaving_without_the_client_secret_keeps_it_and_only_remove_erases_it()
    {
        var org = await _host.CreateOrganizationAsync();
        Assert.True((await SaveAsync(org.Id, _sandbox.Options.DemoToken, _sandbox.Options.ClientSecret)).IsSuccessStatusCode);

        Assert.True((await SaveAsync(org.Id, _sandbox.Options.DemoToken)).IsSuccessStatusCode);
        Assert.True(await HasClientSecretAsync(org.Id), "a re-save without the secret erased it (and turned the v3 check off)");

        var both = await SaveAsync(org.Id, _sandbox.Options.DemoToken, _sandbox.Options.ClientSecret, removeClientSecret: true);
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);

        Assert.True((await SaveAsync(org.Id, _sandbox.Options.DemoToken, removeClientSecret: true)).IsSuccessStatusCode);
        Assert.False(await HasClientSecretAsync(org.Id));
    }

    [Fact]
    public async Task Save_answer_names_the_tokens_region_when_account_info_is_not_allowed()
    {
        var org = await _host.CreateOrganizationAsync();
        // No oauth scope: account-info answers 403, so only the token's prefix (pat-eu1-…) tells the region.
        var token = await NewTokenAsync("conversations.read", "crm.objects.owners.read");
        Assert.StartsWith("pat-eu1-", token, StringComparison.Ordinal);

        var response = await SaveAsync(org.Id, token);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("eu1", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["region"]);
    }

    [Fact]
    public async Task Organization_list_shows_each_connection()
    {
        var connected = await _host.CreateOrganizationAsync();
        var bare = await _host.CreateOrganizationAsync();
        var token = await NewTokenAsync("conversations.read", "crm.objects.owners.read", "oauth");
        Assert.True((await SaveAsync(connected.Id, token)).IsSuccessStatusCode);

        var list = await _host.GetJsonAsync<JsonArray>("api/organizations");

        var connection = list.Single(o => (string?)o!["id"] == connected.Id.ToString())!["connection"]!;
        Assert.Equal(_sandbox.Options.PortalId, (long)connection["portalId"]!);
        Assert.Equal("eu1", (string?)connection["region"]);
        Assert.Equal(token[^4..], (string?)connection["accessTokenLast4"]);
        Assert.Contains("tickets", connection["missingScopes"]!.AsArray().Select(s => (string?)s));
        Assert.Null(list.Single(o => (string?)o!["id"] == bare.Id.ToString())!["connection"]);
    }
}
