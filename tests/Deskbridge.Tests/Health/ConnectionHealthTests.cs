using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Health;

/// <summary>O2 and S8: what a support lead sees about a connection, and the re-test.</summary>
public sealed class ConnectionHealthTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public async Task Health_shows_a_working_connection_after_a_reply()
    {
        var written = await World.CustomerWritesAsync("How long does standard shipping take?");
        await World.SettledEventsAsync(written.ThreadId, atLeast: 3);

        var health = await World.Deskbridge.GetJsonAsync<JsonObject>($"api/organizations/{World.Organization.Id}/health");

        Assert.True((bool?)health["connected"]);
        Assert.True((bool?)health["tokenValid"]);
        Assert.Empty(health["missingScopes"]!.AsArray());
        Assert.NotNull((string?)health["lastEventReceivedAt"]);
        Assert.NotNull((string?)health["lastSuccessfulCallAt"]);
        Assert.True((int)health["lastHour"]!["processed"]! >= 2, health.ToJsonString());
        Assert.True((int)health["lastHour"]!["skipped"]! >= 1, health.ToJsonString());
        var series = health["eventsPer5Minutes"]!.AsArray();
        Assert.Equal(288, series.Count);
        Assert.True(series.Sum(p => (int)p!["events"]!) >= 3);
        Assert.True((int)series[^1]!["events"]! + (int)series[^2]!["events"]! >= 3, "the latest buckets hold the events just received");
        Assert.Empty(health["warnings"]!.AsArray());
    }

    [Fact]
    public async Task Retest_reports_token_portal_scopes_ai_user_and_recent_webhooks()
    {
        var written = await World.CustomerWritesAsync("Hello");
        await World.SettledEventsAsync(written.ThreadId, atLeast: 2);

        var response = await World.Deskbridge.Http.PostAsync($"api/organizations/{World.Organization.Id}/hubspot/retest", null);
        var retest = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.True(response.IsSuccessStatusCode, retest?.ToJsonString());
        Assert.True((bool?)retest!["tokenValid"]);
        Assert.Equal(World.Sandbox.Options.PortalId, (long)retest["portalId"]!);
        Assert.Equal("na1", (string?)retest["region"]);
        Assert.Empty(retest["missingScopes"]!.AsArray());
        Assert.True((bool?)retest["aiUserExists"]);
        Assert.True((bool?)retest["webhooksRecent"]);
        Assert.True((bool?)retest["isHealthy"], retest.ToJsonString());
    }

    [Fact]
    public async Task Retest_names_missing_scopes_and_warns_when_no_webhook_ever_arrived()
    {
        var organization = await World.Deskbridge.CreateOrganizationAsync();
        var token = await World.CreateTokenAsync("crm.objects.contacts.read", "crm.objects.owners.read", "conversations.read", "conversations.write", "tickets");
        await ConnectAsync(organization.Id, token);

        var retest = await (await World.Deskbridge.Http.PostAsync($"api/organizations/{organization.Id}/hubspot/retest", null)).Content.ReadFromJsonAsync<JsonObject>();

        Assert.True((bool?)retest!["tokenValid"]);
        Assert.Equal(["crm.objects.contacts.write", "crm.objects.companies.read", "crm.objects.deals.read"],
            retest["missingScopes"]!.AsArray().Select(s => (string)s!).ToArray());
        Assert.False((bool?)retest["webhooksRecent"]);
        Assert.Contains(retest["warnings"]!.AsArray(), w => ((string)w!).Contains("never delivered a webhook", StringComparison.Ordinal));
        var health = await World.Deskbridge.GetJsonAsync<JsonObject>($"api/organizations/{organization.Id}/health");
        Assert.Equal(3, health["missingScopes"]!.AsArray().Count);
        Assert.Contains(health["warnings"]!.AsArray(), w => ((string)w!).Contains("No webhook in the last 24 h", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_revoked_token_shows_as_invalid_with_the_error_and_when_it_happened()
    {
        var organization = await World.Deskbridge.CreateOrganizationAsync();
        var token = await World.CreateTokenAsync([.. Deskbridge.Organizations.RequiredScopes.All]);
        await ConnectAsync(organization.Id, token);
        Assert.Equal(true, (bool?)(await World.Deskbridge.GetJsonAsync<JsonObject>($"api/organizations/{organization.Id}/health"))["tokenValid"]);

        await World.SandboxAdmin.RevokeTokenAsync(token);
        var retest = await (await World.Deskbridge.Http.PostAsync($"api/organizations/{organization.Id}/hubspot/retest", null)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.False((bool?)retest!["tokenValid"]);
        Assert.NotNull(retest["errors"]!["accessToken"]);

        var health = await World.Deskbridge.GetJsonAsync<JsonObject>($"api/organizations/{organization.Id}/health");
        Assert.False((bool?)health["tokenValid"]);
        Assert.NotNull((string?)health["lastError"]!["at"]);
        Assert.Contains("rejects the access token", health["warnings"]!.ToJsonString(), StringComparison.Ordinal);
    }

    private async Task ConnectAsync(Guid organizationId, string token)
    {
        var response = await World.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{organizationId}/hubspot", new
        {
            accessToken = token,
            defaultUserId = World.Sandbox.Options.AiUserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            apiBaseUrl = World.Sandbox.BaseAddress.ToString(),
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
