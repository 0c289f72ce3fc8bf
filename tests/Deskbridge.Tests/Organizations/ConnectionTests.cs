using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Organizations;

/// <summary>S2–S4 through the admin API: what a person types is checked, then verified against HubSpot (the sandbox).</summary>
public sealed class ConnectionTests : IAsyncLifetime
{
    private HubSpotSandboxServer _sandbox = null!;
    private DeskbridgeTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await HubSpotSandboxServer.StartAsync();
        _host = await DeskbridgeTestHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> SaveAsync(string token, string userId)
    {
        var (status, body, _) = await SaveToNewOrganizationAsync(token, userId);
        return (status, body);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body, Guid OrganizationId)> SaveToNewOrganizationAsync(string token, string userId)
    {
        var org = await _host.CreateOrganizationAsync();
        var response = await _host.Http.PutAsJsonAsync($"api/organizations/{org.Id}/hubspot",
            new { accessToken = token, defaultUserId = userId, apiBaseUrl = _sandbox.BaseAddress.ToString() });
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!, org.Id);
    }

    private static string? FirstError(JsonObject problem, string field) => (string?)problem["errors"]?[field]?[0];

    [Fact]
    public async Task User_id_with_A_prefix_gets_enter_the_number_only()
    {
        var (status, body) = await SaveAsync(_sandbox.Options.DemoToken, "A-71822709");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("Enter the number only, without A-", FirstError(body, "defaultUserId"), StringComparison.Ordinal);
    }

    /// <summary>Each refusal names its field with its own message. "demo" stands for the sandbox's demo token (known only at run time).</summary>
    [Theory]
    [InlineData("demo", "jane.doe", "defaultUserId", "must be a plain number")]
    [InlineData("abc123", "71822709", "accessToken", "pat-<region>-")]
    [InlineData("pat-na1-99999999-9999-4999-8999-999999999999", "71822709", "accessToken", "does not accept this access token")]
    [InlineData("demo", "123", "defaultUserId", "has no user with ID 123")]
    public async Task Credentials_hubspot_would_refuse_are_not_saved_and_the_field_says_why(string token, string userId, string field, string message)
    {
        var (status, body) = await SaveAsync(token == "demo" ? _sandbox.Options.DemoToken : token, userId);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, FirstError(body, field), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saves_with_portal_and_region_detected_and_lists_every_missing_scope()
    {
        using var http = new HttpClient { BaseAddress = _sandbox.BaseAddress };
        var token = (await new SandboxAdminClient(http).CreateTokenAsync(["conversations.read", "crm.objects.owners.read", "oauth"])).Token;

        var (status, body) = await SaveAsync(token, "71822709");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(_sandbox.Options.PortalId, (long)body["portalId"]!);
        Assert.Equal("na1", (string?)body["region"]);
        var missing = body["missingScopes"]!.AsArray().Select(s => (string)s!).ToList();
        Assert.Equal(["crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read", "crm.objects.deals.read", "tickets", "conversations.write"], missing);
        Assert.False((bool)body["isComplete"]!);
    }

    [Fact]
    public async Task Saved_token_is_never_returned_only_its_last_four_characters()
    {
        var (status, _, organizationId) = await SaveToNewOrganizationAsync(_sandbox.Options.DemoToken, "71822709");
        Assert.Equal(HttpStatusCode.OK, status);

        var raw = await _host.Http.GetStringAsync($"api/organizations/{organizationId}");

        Assert.DoesNotContain(_sandbox.Options.DemoToken, raw, StringComparison.Ordinal);
        Assert.Contains($"\"accessTokenLast4\":\"{_sandbox.Options.DemoToken[^4..]}\"", raw, StringComparison.Ordinal);
    }
}
