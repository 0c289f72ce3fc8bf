using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotApp;
using Deskbridge.HubSpotSandbox.Portals;
using Deskbridge.Testing;
using Deskbridge.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Tests.HubSpotApp;

/// <summary>U1, U2 over real HTTP: install through OAuth against the sandbox, app webhooks, refresh, uninstall.</summary>
public sealed class HubSpotAppTests
{
    [Fact]
    public async Task A_customer_on_the_installed_portal_is_answered_through_the_app_webhook()
    {
        await using var world = await AppWorld.StartAsync();
        var browser = await world.Deskbridge.SignInAsync(world.OwnerEmail);

        var landed = await world.InstallAsync(browser: browser);
        Assert.Equal($"/orgs/{world.Organization.Id}/settings#ai-user", landed.OriginalString);
        var connection = (await world.ConnectionAsync())["connection"]!;
        Assert.Equal(world.Sandbox.Options.PortalId, connection["portalId"]!.GetValue<long>());
        Assert.Equal(0, connection["defaultUserId"]!.GetValue<long>());
        await world.ChooseAiUserAsync(browser);
        Assert.Equal(world.Sandbox.Options.AiUserId, (await world.ConnectionAsync())["connection"]!["defaultUserId"]!.GetValue<long>());

        var written = await world.CustomerWritesAsync("How long does shipping take?");

        var replies = await Eventually.UntilAsync(() => world.MessagesFromAsync(written.ThreadId, world.AiActor), r => r.Count >= 1, TimeSpan.FromSeconds(30));
        Assert.Contains("<!-- OpenCX-AI-Response -->", (string?)replies[0]["richText"], StringComparison.Ordinal);
        // The events came through the app's one endpoint, not an organization URL.
        var deliveries = (await world.SandboxAdmin.ForApp(world.App.AppId).DeliveriesAsync()).Results;
        Assert.NotEmpty(deliveries);
        Assert.All(deliveries, d => Assert.EndsWith("/webhooks/hubspot-app", d.Url, StringComparison.Ordinal));
        Assert.All(deliveries, d => Assert.True(d.Succeeded, $"{d.StatusCode} {d.ResponseBodyExcerpt}"));
        // The OAuth token is what the replies went out with.
        var requests = (await world.SandboxAdmin.RequestsSinceAsync()).Results;
        Assert.DoesNotContain(requests, r => r.Token == "…" + world.Sandbox.Options.DemoToken[^4..]);
    }

    [Fact]
    public async Task The_access_token_is_refreshed_under_load_with_no_failed_call()
    {
        // 3-second tokens: refreshed a quarter of their life before they expire, many times during the run.
        await using var world = await AppWorld.StartAsync(accessTokenLifetimeSeconds: 3);
        await world.InstallAndChooseAiUserAsync();
        var before = await world.SandboxAdmin.RequestsSinceAsync();

        var threads = new List<string>();
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < TimeSpan.FromSeconds(12))
        {
            var batch = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => world.CustomerWritesAsync($"Where is my order {threads.Count + i}?")));
            threads.AddRange(batch.Select(b => b.ThreadId));
            await Task.Delay(250);
        }

        foreach (var thread in threads)
        {
            await Eventually.UntilAsync(() => world.MessagesFromAsync(thread, world.AiActor), r => r.Count >= 1, TimeSpan.FromSeconds(60), $"an AI reply on {thread}");
        }
        var events = await Eventually.UntilAsync(() => world.Deskbridge.EventsAsync(world.Organization.Id), e => e.Count > 0 && e.All(x => x.Status == "Done"),
            TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(events, e => e.Fate == "Failed");
        var app = await world.SandboxAdmin.OAuthAppAsync(world.App.AppId);
        Assert.True(app.Grants.GetValueOrDefault("refresh_token") >= 3, $"refreshes: {app.Grants.GetValueOrDefault("refresh_token")}");
        var calls = (await world.SandboxAdmin.RequestsSinceAsync(before.LastSequence)).Results;
        // Refreshed ahead of expiry: HubSpot never had to refuse an expired token.
        Console.WriteLine($"Refresh under load: {threads.Count} threads, {calls.Count} HubSpot calls, {app.Grants["refresh_token"]} refreshes, " +
            $"{calls.Count(c => c.Status == 401)} answered 401, {calls.Count(c => c.Status >= 400)} answered 4xx/5xx");
        Assert.DoesNotContain(calls, c => c.Status == 401);
        Assert.True(threads.Count >= 40, $"{threads.Count} threads");
    }

    [Fact]
    public async Task Two_instances_on_one_database_refresh_a_due_token_once_between_them()
    {
        // 8-second tokens: due (a quarter of the life left) after 6 s, still valid until 7 s.
        await using var world = await AppWorld.StartAsync(accessTokenLifetimeSeconds: 8);
        await world.InstallAndChooseAiUserAsync();
        await using var second = await DeskbridgeTestHost.StartAsync(world.Deskbridge.DataDirectory, world.Settings.ToDictionary());
        var first = world.Deskbridge.Services.GetRequiredService<HubSpotAppTokens>();
        var other = second.Services.GetRequiredService<HubSpotAppTokens>();
        // Both instances know the installation's first token.
        await first.AccessTokenAsync(world.Organization.Id, default);
        await other.AccessTokenAsync(world.Organization.Id, default);
        var before = (await world.SandboxAdmin.OAuthAppAsync(world.App.AppId)).Grants.GetValueOrDefault("refresh_token");
        await Task.Delay(TimeSpan.FromSeconds(6.2));

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : other).AccessTokenAsync(world.Organization.Id, default)));

        Assert.Equal(before + 1, (await world.SandboxAdmin.OAuthAppAsync(world.App.AppId)).Grants["refresh_token"]);
        Assert.Equal(1, first.Refreshes + other.Refreshes);
        // Every token handed out works (the old one until it expires, the new one after).
        foreach (var token in tokens.Distinct())
        {
            using var client = new HttpClient { BaseAddress = world.Sandbox.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("conversations/v3/conversations/inboxes")).StatusCode);
        }
    }

    [Fact]
    public async Task A_401_refreshes_the_token_once_and_the_call_goes_through()
    {
        await using var world = await AppWorld.StartAsync();
        await world.InstallAndChooseAiUserAsync();
        var refreshesBefore = (await world.SandboxAdmin.OAuthAppAsync(world.App.AppId)).Grants.GetValueOrDefault("refresh_token");
        // HubSpot ends the token early (Deskbridge still thinks it has 30 minutes).
        Assert.Equal(1, await world.SandboxAdmin.ExpireAccessTokensAsync(world.App.AppId));
        var before = await world.SandboxAdmin.RequestsSinceAsync();

        var written = await world.CustomerWritesAsync("Do you ship to Canada?");

        await Eventually.UntilAsync(() => world.MessagesFromAsync(written.ThreadId, world.AiActor), r => r.Count >= 1, TimeSpan.FromSeconds(30));
        Assert.Equal(refreshesBefore + 1, (await world.SandboxAdmin.OAuthAppAsync(world.App.AppId)).Grants["refresh_token"]);
        var calls = (await world.SandboxAdmin.RequestsSinceAsync(before.LastSequence)).Results;
        Assert.Single(calls, c => c.Status == 401);
    }

    [Fact]
    public async Task An_event_for_a_portal_no_organization_installed_is_refused_and_recorded()
    {
        await using var world = await AppWorld.StartAsync();
        const long strangerPortal = 987654321;
        var body = DeskbridgeApi.Batch(new
        {
            eventId = 77, subscriptionId = 1, portalId = strangerPortal, appId = world.App.AppId, occurredAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            subscriptionType = "conversation.newMessage", attemptNumber = 0, objectId = 9100000001, messageId = "abc", messageType = "MESSAGE", changeFlag = "NEW_MESSAGE",
        });

        var response = await PostSignedAsync(world, body, world.App.ClientSecret);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains($"No organization has installed the HubSpot app in portal {strangerPortal}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var recorded = await world.Deskbridge.Http.GetFromJsonAsync<List<UnroutedAppEventView>>($"api/hubspot-app/unrouted-events?portalId={strangerPortal}",
            DeskbridgeTestHost.Json);
        var only = Assert.Single(recorded!);
        Assert.Equal(77, only.EventId);
        Assert.Equal("conversation.newMessage", only.SubscriptionType);
        Assert.Empty(await world.Deskbridge.EventsAsync(world.Organization.Id));
        // A member's key may not read other portals' events.
        var (_, memberKey) = await world.Deskbridge.CreateApiKeyAsync(world.Organization.Id, "Admin");
        using var member = world.Deskbridge.WithKey(memberKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("api/hubspot-app/unrouted-events")).StatusCode);
    }

    [Fact]
    public async Task An_app_webhook_without_a_valid_signature_is_refused_and_nothing_is_stored()
    {
        await using var world = await AppWorld.StartAsync();
        await world.InstallAndChooseAiUserAsync();
        var body = DeskbridgeApi.Batch(new
        {
            eventId = 78, subscriptionId = 1, portalId = world.Sandbox.Options.PortalId, appId = world.App.AppId,
            occurredAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), subscriptionType = "conversation.creation", attemptNumber = 0, objectId = 9100000099,
        });

        var wrongSecret = await PostSignedAsync(world, body, "not-the-app-secret");
        // The portal's private-app secret is not the app's: it does not sign app webhooks either.
        var portalSecret = await PostSignedAsync(world, body, world.Sandbox.Options.ClientSecret);
        using var unsigned = new HttpRequestMessage(HttpMethod.Post, AppWebhookEndpoint.Path.TrimStart('/')) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var none = await world.Deskbridge.Http.SendAsync(unsigned);

        Assert.All(new[] { wrongSecret, portalSecret, none }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Contains("app's client secret", await wrongSecret.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await world.Deskbridge.EventsAsync(world.Organization.Id, "&eventId=78"));
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(world, body, world.App.ClientSecret)).StatusCode);
        Assert.Single(await world.Deskbridge.EventsAsync(world.Organization.Id, "&eventId=78"));
    }

    [Fact]
    public async Task Events_wait_in_HubSpot_until_the_AI_user_is_chosen()
    {
        await using var world = await AppWorld.StartAsync();
        var browser = await world.Deskbridge.SignInAsync(world.OwnerEmail);
        await world.InstallAsync(browser: browser);

        var written = await world.CustomerWritesAsync("Hello?");
        var refused = await Eventually.UntilAsync(() => world.SandboxAdmin.ForApp(world.App.AppId).DeliveriesAsync(), d => d.Results.Count > 0);
        Assert.Equal(404, refused.Results[0].StatusCode);
        Assert.Contains("has not chosen its AI user yet", refused.Results[0].ResponseBodyExcerpt, StringComparison.Ordinal);

        await world.ChooseAiUserAsync(browser);
        // HubSpot's retry (its schedule shortened in the world) brings the events back, and the customer is answered.
        await Eventually.UntilAsync(() => world.MessagesFromAsync(written.ThreadId, world.AiActor), r => r.Count >= 1, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Uninstalling_revokes_the_refresh_token_and_erases_the_tokens()
    {
        await using var world = await AppWorld.StartAsync();
        await world.InstallAndChooseAiUserAsync();
        Assert.Equal([world.Sandbox.Options.PortalId], (await world.SandboxAdmin.OAuthAppAsync(world.App.AppId)).InstalledPortalIds);

        Assert.Equal(HttpStatusCode.NoContent, (await world.Deskbridge.Http.DeleteAsync($"api/organizations/{world.Organization.Id}/hubspot")).StatusCode);

        Assert.Empty((await world.SandboxAdmin.OAuthAppAsync(world.App.AppId)).InstalledPortalIds);
        Assert.Null((await world.ConnectionAsync())["connection"]);
        await using var scope = world.Deskbridge.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Deskbridge.Storage.DeskbridgeDb>();
        Assert.False(await db.HubSpotAppGrants.AnyAsync());
    }

    [Fact]
    public async Task Saving_private_app_credentials_revokes_the_app_installation()
    {
        await using var world = await AppWorld.StartAsync();
        await world.InstallAndChooseAiUserAsync();
        var sandbox = world.Sandbox.Options;

        (await world.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{world.Organization.Id}/hubspot", new
        {
            accessToken = sandbox.DemoToken, defaultUserId = sandbox.AiUserId.ToString(CultureInfo.InvariantCulture), apiBaseUrl = world.Sandbox.BaseAddress.ToString(),
        })).EnsureSuccessStatusCode();

        Assert.Empty((await world.SandboxAdmin.OAuthAppAsync(world.App.AppId)).InstalledPortalIds);
        await using var scope = world.Deskbridge.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<Deskbridge.Storage.DeskbridgeDb>().HubSpotAppGrants.AnyAsync());
        Assert.Equal(sandbox.DemoToken[^4..], (await world.ConnectionAsync())["connection"]!["accessTokenLast4"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_install_state_is_single_use_and_bound_to_the_person_who_started_it()
    {
        await using var world = await AppWorld.StartAsync();
        var owner = await world.Deskbridge.SignInAsync(world.OwnerEmail);
        var callback = await world.ConsentAsync(await world.StartInstallAsync(owner), world.Sandbox.Options.PortalId);
        var adminEmail = await world.Deskbridge.AddMemberAsync(world.Organization.Id, "Admin");
        var someoneElse = await world.Deskbridge.SignInAsync(adminEmail);

        var stranger = await someoneElse.GetAsync(callback.PathAndQuery.TrimStart('/'));
        var first = await owner.GetAsync(callback.PathAndQuery.TrimStart('/'));
        var replay = await owner.GetAsync(callback.PathAndQuery.TrimStart('/'));

        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        Assert.Contains("started by someone else", await stranger.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("used already", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var forged = await owner.GetAsync("hubspot/oauth/callback?code=x&state=not-ours");
        Assert.Contains("expired", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_portal_installed_by_one_organization_cannot_be_installed_by_another()
    {
        await using var world = await AppWorld.StartAsync();
        await world.InstallAndChooseAiUserAsync();
        var other = await world.Deskbridge.CreateOrganizationAsync("Other Shop", "other-shop");
        await world.Deskbridge.AddMemberAsync(other.Id, "Owner", world.OwnerEmail);
        var browser = await world.Deskbridge.SignInAsync(world.OwnerEmail);
        var page = await browser.GetStringAsync($"orgs/{other.Id}/settings");
        var start = await browser.PostAsync($"orgs/{other.Id}/settings?handler=Install",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = People.FormToken(page) }));
        var callback = await world.ConsentAsync(start.Headers.Location!, world.Sandbox.Options.PortalId);

        var refused = await browser.GetAsync(callback.PathAndQuery.TrimStart('/'));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("connected to another Deskbridge organization", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The first organization's installation is untouched; the refused one left no grant behind at HubSpot.
        Assert.Equal([world.Sandbox.Options.PortalId], (await world.SandboxAdmin.OAuthAppAsync(world.App.AppId)).InstalledPortalIds);
        Assert.Equal(world.Sandbox.Options.PortalId, (await world.ConnectionAsync())["connection"]!["portalId"]!.GetValue<long>());
    }

    [Fact]
    public async Task Retest_of_an_app_connection_checks_the_installations_token()
    {
        await using var world = await AppWorld.StartAsync();
        await world.InstallAndChooseAiUserAsync();

        var retest = await (await world.Deskbridge.Http.PostAsync($"api/organizations/{world.Organization.Id}/hubspot/retest", null)).Content.ReadFromJsonAsync<JsonObject>();

        Assert.True(retest!["tokenValid"]!.GetValue<bool>(), retest.ToJsonString());
        Assert.True(retest["aiUserExists"]!.GetValue<bool>(), retest.ToJsonString());
        Assert.Equal(world.Sandbox.Options.PortalId, retest["portalId"]!.GetValue<long>());
        Assert.Empty(retest["missingScopes"]!.AsArray());
    }

    [Fact]
    public async Task Two_portals_install_the_app_for_two_organizations_and_each_gets_its_own_events()
    {
        await using var world = await AppWorld.StartAsync();
        await world.InstallAndChooseAiUserAsync();
        var portal = await world.SandboxAdmin.CreatePortalAsync(new PortalCreate());
        var second = await world.Deskbridge.CreateOrganizationAsync("Second Shop", "second-shop");
        await world.Deskbridge.AddMemberAsync(second.Id, "Owner", world.OwnerEmail);
        var browser = await world.Deskbridge.SignInAsync(world.OwnerEmail);
        var page = await browser.GetStringAsync($"orgs/{second.Id}/settings");
        var start = await browser.PostAsync($"orgs/{second.Id}/settings?handler=Install",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = People.FormToken(page) }));
        var callback = await world.ConsentAsync(start.Headers.Location!, portal.PortalId);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(callback.PathAndQuery.TrimStart('/'))).StatusCode);
        page = await browser.GetStringAsync($"orgs/{second.Id}/settings");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync($"orgs/{second.Id}/settings?handler=ChooseAiUser", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["__RequestVerificationToken"] = People.FormToken(page), ["aiUserId"] = portal.AiUserId.ToString(CultureInfo.InvariantCulture) }))).StatusCode);

        var otherPortal = world.SandboxAdmin.ForPortal(portal.PortalId);
        var onSecond = await world.CustomerWritesAsync("Hello from the second portal", portal: otherPortal);
        var onFirst = await world.CustomerWritesAsync("Hello from the first portal");

        await Eventually.UntilAsync(() => world.MessagesFromAsync(onFirst.ThreadId, world.AiActor), r => r.Count >= 1, TimeSpan.FromSeconds(30));
        // The second shop has no knowledge base: its AI hands the customer off, on its own portal's thread.
        var secondEvents = await Eventually.UntilAsync(() => world.Deskbridge.EventsAsync(second.Id),
            e => e.Any(x => x.SubscriptionType == "conversation.newMessage" && x.Fate == "Processed"), TimeSpan.FromSeconds(30));
        Assert.All(secondEvents, e => Assert.Equal(onSecond.ThreadId, e.ThreadId));
        Assert.Contains(await otherPortal.MessagesAsync(onSecond.ThreadId), m => ((string?)m["text"])?.StartsWith("🔄 AI decided to handoff", StringComparison.Ordinal) == true);
        Assert.All(await world.Deskbridge.EventsAsync(world.Organization.Id), e => Assert.Equal(onFirst.ThreadId, e.ThreadId));
    }

    [Fact]
    public async Task The_portals_users_are_listed_and_the_AI_user_is_chosen_from_them_on_the_private_app_path_too()
    {
        await using var world = await AppWorld.StartAsync();
        var sandbox = world.Sandbox.Options;
        (await world.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{world.Organization.Id}/hubspot", new
        {
            accessToken = sandbox.DemoToken, defaultUserId = sandbox.AiUserId.ToString(CultureInfo.InvariantCulture), apiBaseUrl = world.Sandbox.BaseAddress.ToString(),
        })).EnsureSuccessStatusCode();

        var users = await world.Deskbridge.Http.GetFromJsonAsync<List<PortalUser>>($"api/organizations/{world.Organization.Id}/hubspot/users", DeskbridgeTestHost.Json);

        Assert.Equal([new PortalUser(sandbox.AiUserId, "Deskbridge AI", "ai@demo-shop.example"), new PortalUser(sandbox.HumanUserId, "Hannah Human", "hannah@demo-shop.example")], users);
        var chosen = await world.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{world.Organization.Id}/hubspot/ai-user", new { userId = sandbox.HumanUserId });
        Assert.Equal(HttpStatusCode.NoContent, chosen.StatusCode);
        Assert.Equal(sandbox.HumanUserId, (await world.ConnectionAsync())["connection"]!["defaultUserId"]!.GetValue<long>());
        var unknown = await world.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{world.Organization.Id}/hubspot/ai-user", new { userId = 4242 });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("no user with ID 4242", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(sandbox.HumanUserId, (await world.ConnectionAsync())["connection"]!["defaultUserId"]!.GetValue<long>());
    }

    private static async Task<HttpResponseMessage> PostSignedAsync(AppWorld world, string body, string secret)
    {
        var url = new Uri(world.Deskbridge.BaseAddress, AppWebhookEndpoint.Path.TrimStart('/')).ToString();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-HubSpot-Signature-v3", HubSpotSignature.ComputeV3(secret, "POST", url, Encoding.UTF8.GetBytes(body), timestamp));
        request.Headers.TryAddWithoutValidation("X-HubSpot-Request-Timestamp", timestamp);
        return await world.Deskbridge.Http.SendAsync(request);
    }
}
