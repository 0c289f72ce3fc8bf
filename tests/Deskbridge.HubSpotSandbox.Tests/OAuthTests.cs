using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deskbridge.HubSpotSandbox.OAuth;
using Deskbridge.HubSpotSandbox.Portals;
using Deskbridge.HubSpotSandbox.Simulation;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;
using Deskbridge.Testing;

namespace Deskbridge.HubSpotSandbox.Tests;

/// <summary>The OAuth public app: install page, code and refresh grants, introspection, revoke, expiry, app-level webhooks.</summary>
public sealed partial class OAuthTests
{
    private const string Redirect = "https://deskbridge.example/hubspot/oauth/callback";
    private static readonly string[] AppScopes = ["conversations.read", "conversations.write", "crm.objects.owners.read", "tickets"];

    private static Task<OAuthAppView> CreateAppAsync(Sandbox sandbox, int? lifetimeSeconds = null, string? webhookTargetUrl = null) =>
        sandbox.Admin.CreateOAuthAppAsync(new OAuthAppCreate(null, null, null, "Deskbridge", [Redirect], AppScopes, null, lifetimeSeconds, webhookTargetUrl,
            webhookTargetUrl is null ? null : [new PortalSubscription("conversation.newMessage")]));

    private static string AuthorizeUrl(OAuthAppView app, string scopes, string redirect = Redirect, string state = "s-1") =>
        $"oauth/authorize?client_id={app.ClientId}&scope={Uri.EscapeDataString(scopes)}&redirect_uri={Uri.EscapeDataString(redirect)}&state={state}";

    /// <summary>What the browser does on the install page: choose the account, click the button; the answer is the redirect.</summary>
    private static async Task<Uri> ConsentAsync(Sandbox sandbox, OAuthAppView app, long portalId, string decision = "allow")
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sandbox.Server.BaseAddress };
        var page = await client.GetStringAsync(AuthorizeUrl(app, string.Join(' ', AppScopes)));
        Assert.Contains("id=\"authorize\"", page, StringComparison.Ordinal);
        var response = await client.PostAsync("oauth/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = app.ClientId, ["redirect_uri"] = Redirect, ["scope"] = string.Join(' ', AppScopes), ["state"] = "s-1",
            ["portal_id"] = portalId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["decision"] = decision,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    private static string CodeOf(Uri redirect) => CodePattern().Match(redirect.Query).Groups[1].Value;

    private static async Task<HttpResponseMessage> TokenAsync(Sandbox sandbox, Dictionary<string, string> form) =>
        await sandbox.Anonymous.PostAsync("oauth/v1/token", new FormUrlEncodedContent(form));

    private static Dictionary<string, string> CodeGrant(OAuthAppView app, string code, string redirect = Redirect) => new()
    {
        ["grant_type"] = "authorization_code", ["client_id"] = app.ClientId, ["client_secret"] = app.ClientSecret, ["redirect_uri"] = redirect, ["code"] = code,
    };

    private static Dictionary<string, string> RefreshGrant(OAuthAppView app, string refresh) => new()
    {
        ["grant_type"] = "refresh_token", ["client_id"] = app.ClientId, ["client_secret"] = app.ClientSecret, ["refresh_token"] = refresh,
    };

    [Fact]
    public async Task Install_redirects_with_a_code_and_the_state_and_the_code_buys_tokens_in_HubSpots_shape()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var app = await CreateAppAsync(sandbox);

        var redirect = await ConsentAsync(sandbox, app, sandbox.Options.PortalId);
        Assert.StartsWith(Redirect + "?code=", redirect.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("&state=s-1", redirect.ToString(), StringComparison.Ordinal);

        var response = await TokenAsync(sandbox, CodeGrant(app, CodeOf(redirect)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await response.Json();
        Assert.Equal("bearer", tokens["token_type"].Str());
        Assert.Equal("access_token", tokens["token_use"].Str());
        Assert.Equal(1800, tokens["expires_in"]!.GetValue<long>());
        Assert.Equal(sandbox.Options.PortalId, tokens["hub_id"]!.GetValue<long>());
        Assert.StartsWith("na1-", tokens["refresh_token"].Str(), StringComparison.Ordinal);

        // The access token works on the public API of the portal it was granted for, within its scopes.
        using var client = sandbox.NewClient(tokens["access_token"].Str());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("conversations/v3/conversations/inboxes")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("crm/v3/objects/contacts")).StatusCode);

        var info = await sandbox.GetJsonAsync($"oauth/v1/access-tokens/{tokens["access_token"].Str()}");
        Assert.Equal(sandbox.Options.PortalId, info["hub_id"]!.GetValue<long>());
        Assert.Equal(app.AppId, info["app_id"]!.GetValue<long>());
        Assert.Equal(sandbox.Options.HumanUserId, info["user_id"]!.GetValue<long>());
        Assert.Equal("access", info["token_type"].Str());
        Assert.InRange(info["expires_in"]!.GetValue<long>(), 1790, 1800);
        Assert.Contains("oauth", info["scopes"]!.AsArray().Select(s => s.Str()));
        var refreshInfo = await sandbox.GetJsonAsync($"oauth/v1/refresh-tokens/{tokens["refresh_token"].Str()}");
        Assert.Equal(app.ClientId, refreshInfo["client_id"].Str());
        Assert.Equal("refresh", refreshInfo["token_type"].Str());
        Assert.Equal([sandbox.Options.PortalId], (await sandbox.Admin.OAuthAppAsync(app.AppId)).InstalledPortalIds);
    }

    [Fact]
    public async Task A_code_is_single_use_and_bound_to_its_redirect_uri_client_and_secret()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var app = await CreateAppAsync(sandbox);
        var code = CodeOf(await ConsentAsync(sandbox, app, sandbox.Options.PortalId));

        var wrongSecret = await TokenAsync(sandbox, new(CodeGrant(app, code)) { ["client_secret"] = "nope" });
        var wrongClient = await TokenAsync(sandbox, new(CodeGrant(app, code)) { ["client_id"] = Guid.NewGuid().ToString() });
        var badGrant = await TokenAsync(sandbox, new(CodeGrant(app, code)) { ["grant_type"] = "password" });
        Assert.Equal("BAD_CLIENT_SECRET", (await wrongSecret.Json())["status"].Str());
        Assert.Equal("BAD_CLIENT_ID", (await wrongClient.Json())["status"].Str());
        Assert.Equal("BAD_GRANT_TYPE", (await badGrant.Json())["status"].Str());

        // A redirect URI other than the one the code was issued for burns the code.
        var wrongRedirect = await TokenAsync(sandbox, CodeGrant(app, code, "https://evil.example/cb"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongRedirect.StatusCode);
        var body = await wrongRedirect.Json();
        Assert.Equal("BAD_REDIRECT_URI", body["status"].Str());
        Assert.Equal("invalid_grant", body["error"].Str());
        Assert.False(string.IsNullOrEmpty(body["correlationId"].Str()));
        var again = await TokenAsync(sandbox, CodeGrant(app, code));
        Assert.Equal("BAD_AUTH_CODE", (await again.Json())["status"].Str());

        var second = CodeOf(await ConsentAsync(sandbox, app, sandbox.Options.PortalId));
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(sandbox, CodeGrant(app, second))).StatusCode);
        Assert.Equal("BAD_AUTH_CODE", (await (await TokenAsync(sandbox, CodeGrant(app, second))).Json())["status"].Str());
    }

    [Fact]
    public async Task The_install_page_refuses_unknown_clients_unregistered_redirects_and_scope_mismatches_without_redirecting()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var app = await CreateAppAsync(sandbox);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sandbox.Server.BaseAddress };

        var unknown = await client.GetAsync($"oauth/authorize?client_id=nobody&scope=tickets&redirect_uri={Uri.EscapeDataString(Redirect)}");
        var redirect = await client.GetAsync(AuthorizeUrl(app, string.Join(' ', AppScopes), "https://deskbridge.example/other"));
        var fewer = await client.GetAsync(AuthorizeUrl(app, "tickets conversations.read"));
        var more = await client.GetAsync(AuthorizeUrl(app, string.Join(' ', AppScopes) + " crm.objects.contacts.write"));

        Assert.All(new[] { unknown, redirect, fewer, more }, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Contains("BAD_CLIENT_ID", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("BAD_REDIRECT_URI", await redirect.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("mismatch between the scopes", await fewer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("mismatch between the scopes", await more.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Denying_the_install_redirects_with_access_denied_and_no_code()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var app = await CreateAppAsync(sandbox);

        var redirect = await ConsentAsync(sandbox, app, sandbox.Options.PortalId, decision: "deny");

        Assert.Contains("error=access_denied", redirect.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("code=", redirect.Query, StringComparison.Ordinal);
        Assert.Empty((await sandbox.Admin.OAuthAppAsync(app.AppId)).InstalledPortalIds);
    }

    [Fact]
    public async Task An_expired_access_token_gets_401_EXPIRED_AUTHENTICATION_and_the_refresh_token_buys_a_new_one()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var app = await CreateAppAsync(sandbox, lifetimeSeconds: 1);
        var tokens = await (await TokenAsync(sandbox, CodeGrant(app, CodeOf(await ConsentAsync(sandbox, app, sandbox.Options.PortalId))))).Json();
        Assert.Equal(1, tokens["expires_in"]!.GetValue<long>());
        await Task.Delay(TimeSpan.FromMilliseconds(1200));

        using var expired = sandbox.NewClient(tokens["access_token"].Str());
        var refused = await expired.GetAsync("conversations/v3/conversations/inboxes");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var body = await refused.Json();
        Assert.Equal("EXPIRED_AUTHENTICATION", body["category"].Str());
        Assert.Matches("expired \\d+ second\\(s\\) ago", body["message"].Str());
        Assert.Equal(HttpStatusCode.Unauthorized, (await sandbox.Anonymous.GetAsync($"oauth/v1/access-tokens/{tokens["access_token"].Str()}")).StatusCode);

        var refreshed = await (await TokenAsync(sandbox, RefreshGrant(app, tokens["refresh_token"].Str()))).Json();
        Assert.NotEqual(tokens["access_token"].Str(), refreshed["access_token"].Str());
        // HubSpot does not rotate refresh tokens: the same one comes back.
        Assert.Equal(tokens["refresh_token"].Str(), refreshed["refresh_token"].Str());
        using var fresh = sandbox.NewClient(refreshed["access_token"].Str());
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("conversations/v3/conversations/inboxes")).StatusCode);
        Assert.Equal(new Dictionary<string, int> { ["authorization_code"] = 1, ["refresh_token"] = 1 }, (await sandbox.Admin.OAuthAppAsync(app.AppId)).Grants);
    }

    [Fact]
    public async Task A_revoked_refresh_token_is_BAD_REFRESH_TOKEN_and_ends_the_installation_and_its_access_tokens()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var app = await CreateAppAsync(sandbox);
        var tokens = await (await TokenAsync(sandbox, CodeGrant(app, CodeOf(await ConsentAsync(sandbox, app, sandbox.Options.PortalId))))).Json();
        var refresh = tokens["refresh_token"].Str();

        Assert.Equal(HttpStatusCode.NoContent, (await sandbox.Anonymous.DeleteAsync($"oauth/v1/refresh-tokens/{refresh}")).StatusCode);

        var refused = await TokenAsync(sandbox, RefreshGrant(app, refresh));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = await refused.Json();
        Assert.Equal("BAD_REFRESH_TOKEN", body["status"].Str());
        Assert.Equal("missing or invalid refresh token", body["message"].Str());
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Anonymous.GetAsync($"oauth/v1/refresh-tokens/{refresh}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Anonymous.DeleteAsync($"oauth/v1/refresh-tokens/{refresh}")).StatusCode);
        using var client = sandbox.NewClient(tokens["access_token"].Str());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("conversations/v3/conversations/inboxes")).StatusCode);
        Assert.Empty((await sandbox.Admin.OAuthAppAsync(app.AppId)).InstalledPortalIds);
    }

    [Fact]
    public async Task A_private_app_token_is_not_an_OAuth_token_to_introspect()
    {
        await using var sandbox = await Sandbox.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Anonymous.GetAsync($"oauth/v1/access-tokens/{sandbox.Options.DemoToken}")).StatusCode);
    }

    [Fact]
    public async Task App_webhooks_carry_each_installing_portals_id_and_are_signed_with_the_apps_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await Sandbox.StartAsync();
        var app = await CreateAppAsync(sandbox, webhookTargetUrl: receiver.Url);
        var other = await sandbox.Admin.CreatePortalAsync(new PortalCreate());
        var notInstalled = await sandbox.Admin.CreatePortalAsync(new PortalCreate());
        foreach (var portalId in new[] { sandbox.Options.PortalId, other.PortalId })
        {
            Assert.Equal(HttpStatusCode.OK, (await TokenAsync(sandbox, CodeGrant(app, CodeOf(await ConsentAsync(sandbox, app, portalId)))))
                .StatusCode);
        }

        foreach (var admin in new[] { sandbox.Admin, sandbox.Admin.ForPortal(other.PortalId), sandbox.Admin.ForPortal(notInstalled.PortalId) })
        {
            await admin.CustomerWritesAsync(new CustomerMessageRequest("chat", null, "casey@example.com", "Casey", "Hello", null, null, null, null));
        }

        var requests = await receiver.WaitForAsync(r => r.Sum(x => x.Events.Count) >= 2);
        var events = receiver.AllEvents;
        Assert.Equal([sandbox.Options.PortalId, other.PortalId], events.Select(e => e["portalId"]!.GetValue<long>()).Order().ToArray());
        Assert.All(events, e => Assert.Equal(app.AppId, e["appId"]!.GetValue<long>()));
        Assert.All(events, e => Assert.Equal("conversation.newMessage", e["subscriptionType"].Str()));
        foreach (var request in requests)
        {
            Assert.True(HubSpotSignatureV3.IsValid(request.Headers["X-HubSpot-Signature-v3"], app.ClientSecret, "POST", request.Url, request.Body,
                request.Headers["X-HubSpot-Request-Timestamp"], DateTimeOffset.UtcNow));
        }
        // The delivery is logged once its attempt is over, which may be just after the receiver has the events.
        var deliveries = await Eventually.UntilAsync(() => sandbox.Admin.ForApp(app.AppId).DeliveriesAsync(), d => d.Results.Sum(x => x.EventCount) >= 2);
        Assert.Equal(2, deliveries.Results.Sum(d => d.EventCount));

        // Uninstalled: the account's changes no longer reach the app.
        await sandbox.Admin.UninstallAppAsync(app.AppId, other.PortalId);
        await sandbox.Admin.ForPortal(other.PortalId).CustomerWritesAsync(new CustomerMessageRequest("chat", null, "dana@example.com", "Dana", "Hi", null, null, null, null));
        await sandbox.Admin.CustomerWritesAsync(new CustomerMessageRequest("chat", null, "erin@example.com", "Erin", "Hi", null, null, null, null));
        await receiver.WaitForAsync(r => r.Sum(x => x.Events.Count) >= 3);
        await Task.Delay(300);
        Assert.Equal(3, receiver.AllEvents.Count);
        Assert.Single(receiver.AllEvents, e => e["portalId"]!.GetValue<long>() == other.PortalId);
    }

    [GeneratedRegex("code=([^&]+)")]
    private static partial Regex CodePattern();
}
