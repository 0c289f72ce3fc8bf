using System.Net;
using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

public sealed class AuthAndIntrospectionTests
{
    [Fact]
    public async Task Missing_token_returns_401_INVALID_AUTHENTICATION()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Anonymous.GetAsync("crm/v3/owners/601");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("error", body["status"].Str());
        Assert.Equal("INVALID_AUTHENTICATION", body["category"].Str());
        Assert.StartsWith("Authentication credentials not found", body["message"].Str(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(body["correlationId"].Str()));
    }

    [Fact]
    public async Task Unknown_and_revoked_tokens_return_401()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var token = await sandbox.CreateTokenAsync("tickets");
        using var client = sandbox.NewClient(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("crm/v3/objects/tickets/401")).StatusCode);

        (await sandbox.Anonymous.DeleteAsync($"_sandbox/tokens/{token}")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("crm/v3/objects/tickets/401")).StatusCode);
        using var stranger = sandbox.NewClient("pat-na1-11111111-2222-3333-4444-555555555555");
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("crm/v3/objects/tickets/401")).StatusCode);
    }

    [Fact]
    public async Task Token_without_the_scope_gets_403_MISSING_SCOPES_naming_the_scope()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var client = sandbox.NewClient(await sandbox.CreateTokenAsync("conversations.read"));

        var response = await client.GetAsync("crm/v3/objects/tickets/401");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("MISSING_SCOPES", body["category"].Str());
        Assert.StartsWith("This app hasn't been granted all required scopes", body["message"].Str(), StringComparison.Ordinal);
        var error = body["errors"]![0]!;
        Assert.Equal("One or more of the following scopes are required.", error["message"].Str());
        Assert.Equal("tickets", error["context"]!["requiredGranularScopes"]![0].Str());
        Assert.Equal("tickets", error["context"]!["requiredScopes"]![0].Str());

        var owners = await (await client.GetAsync("crm/v3/owners/601")).Json();
        Assert.Equal("crm.objects.owners.read", owners["errors"]![0]!["context"]!["requiredGranularScopes"]![0].Str());
        var post = await client.PostAsJsonAsync("conversations/v3/conversations/threads/1/messages", new { type = "COMMENT", text = "x", attachments = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal("conversations.write", (await post.Json())["errors"]![0]!["context"]!["requiredGranularScopes"]![0].Str());
    }

    [Fact]
    public async Task Access_token_info_reports_user_portal_app_and_scopes()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Anonymous.PostAsJsonAsync("oauth/v2/private-apps/get/access-token-info", new { tokenKey = sandbox.Options.DemoToken });

        response.EnsureSuccessStatusCode();
        var body = await response.Json();
        Assert.Equal(sandbox.Options.PortalId, body["hubId"]!.GetValue<long>());
        Assert.Equal(sandbox.Options.AppId, body["appId"]!.GetValue<long>());
        Assert.Equal(sandbox.Options.HumanUserId, body["userId"]!.GetValue<long>());
        var scopes = body["scopes"]!.AsArray().Select(s => s.Str()).ToList();
        foreach (var required in new[] { "crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read", "crm.objects.deals.read",
                     "crm.objects.owners.read", "tickets", "conversations.read", "conversations.write" })
        {
            Assert.Contains(required, scopes);
        }
    }

    [Fact]
    public async Task Account_details_report_portal_region_and_ui_domain()
    {
        await using var sandbox = await Sandbox.StartAsync(o => o.Region = "eu1");

        var body = await sandbox.GetJsonAsync("account-info/v3/details", sandbox.Client);

        Assert.Equal(sandbox.Options.PortalId, body["portalId"]!.GetValue<long>());
        Assert.Equal("eu1", body["dataHostingLocation"].Str());
        Assert.Equal("app-eu1.hubspot.com", body["uiDomain"].Str());
        Assert.Equal("STANDARD", body["accountType"].Str());
    }
}
