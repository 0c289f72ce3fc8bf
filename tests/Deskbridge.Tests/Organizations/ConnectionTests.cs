using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Organizations;

/// <summary>S2–S4 through the admin API: what a person types is checked, then verified against HubSpot (the sandbox).</summary>
public sealed class ConnectionTests : IAsyncLifetime
{
    private HubSpotSandboxServer sandbox = null!;
    private DeskbridgeTestHost host = null!;

    public async Task InitializeAsync()
    {
        sandbox = await HubSpotSandboxServer.StartAsync();
        host = await DeskbridgeTestHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await sandbox.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> SaveAsync(string token, string userId)
    {
        var (status, body, _) = await SaveToNewOrganizationAsync(token, userId);
        return (status, body);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body, Guid OrganizationId)> SaveToNewOrganizationAsync(string token, string userId)
    {
        var org = await host.CreateOrganizationAsync();
        var response = await host.Http.PutAsJsonAsync($"api/organizations/{org.Id}/hubspot",
            new { accessToken = token, defaultUserId = userId, apiBaseUrl = sandbox.BaseAddress.ToString() });
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!, org.Id);
    }

    private static string? FirstError(JsonObject problem, string field) => (string?)problem["errors"]?[field]?[0];

    [Fact]
    public async Task User_id_with_A_prefix_gets_enter_the_number_only()
    {
        var (status, body) = await SaveAsync(sandbox.Options.DemoToken, "A-71822709");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("Enter the number only, without A-", FirstError(body, "defaultUserId"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_id_that_is_not_a_number_gets_its_own_message()
    {
        var (status, body) = await SaveAsync(sandbox.Options.DemoToken, "jane.doe");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("must be a plain number", FirstError(body, "defaultUserId"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_that_is_not_a_private_app_token_gets_a_clear_message()
    {
        var (status, body) = await SaveAsync("abc123", "71822709");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("pat-<region>-", FirstError(body, "accessToken"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_hubspot_does_not_know_is_not_saved()
    {
        var (status, body) = await SaveAsync("pat-na1-99999999-9999-4999-8999-999999999999", "71822709");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("does not accept this access token", FirstError(body, "accessToken"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_ai_user_is_named_and_not_saved()
    {
        var (status, body) = await SaveAsync(sandbox.Options.DemoToken, "123");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("has no user with ID 123", FirstError(body, "defaultUserId"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saves_with_portal_and_region_detected_and_lists_every_missing_scope()
    {
        using var admin = new HttpClient { BaseAddress = sandbox.BaseAddress };
        var created = await admin.PostAsJsonAsync("_sandbox/tokens", new { scopes = new[] { "conversations.read", "crm.objects.owners.read", "oauth" } });
        var token = (await created.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();

        var (status, body) = await SaveAsync(token, "71822709");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(sandbox.Options.PortalId, (long)body["portalId"]!);
        Assert.Equal("na1", (string?)body["region"]);
        var missing = body["missingScopes"]!.AsArray().Select(s => (string)s!).ToList();
        Assert.Equal(["crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read", "crm.objects.deals.read", "tickets", "conversations.write"], missing);
        Assert.False((bool)body["isComplete"]!);
    }

    [Fact]
    public async Task Saved_token_is_never_returned_only_its_last_four_characters()
    {
        var (status, _, organizationId) = await SaveToNewOrganizationAsync(sandbox.Options.DemoToken, "71822709");
        Assert.Equal(HttpStatusCode.OK, status);

        var raw = await host.Http.GetStringAsync($"api/organizations/{organizationId}");

        Assert.DoesNotContain(sandbox.Options.DemoToken, raw, StringComparison.Ordinal);
        Assert.Contains($"\"accessTokenLast4\":\"{sandbox.Options.DemoToken[^4..]}\"", raw, StringComparison.Ordinal);
    }
}
