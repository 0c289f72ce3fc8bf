using System.Net;
using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.HubSpotSandbox.Portals;
using Deskbridge.HubSpotSandbox.Simulation;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

/// <summary>Several portals in one sandbox: a token selects its portal; data, limits and webhooks are each portal's own.</summary>
public sealed class PortalTests
{
    [Fact]
    public async Task One_portal_never_sees_another_portals_objects()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var other = await sandbox.Admin.CreatePortalAsync(new PortalCreate());
        using var otherClient = sandbox.NewClient(other.AccessToken);

        var created = await otherClient.PostAsJsonAsync("crm/v3/objects/contacts", SpecBodies.Create(new { email = "only.here@example.com" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var contactId = (await created.Json())["id"].Str();
        var thread = await sandbox.Admin.ForPortal(other.PortalId).CustomerWritesAsync(
            new CustomerMessageRequest("chat", null, "someone@example.com", "Someone", "Hello from the other portal", null, null, null, null));
        var property = await otherClient.PostAsJsonAsync("crm/v3/properties/tickets", new
        {
            name = "only_here", label = "Only here", type = "string", fieldType = "text", groupName = "ticketinformation",
        });
        Assert.Equal(HttpStatusCode.Created, property.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await otherClient.GetAsync($"crm/v3/objects/contacts/{contactId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Client.GetAsync($"crm/v3/objects/contacts/{contactId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Client.GetAsync($"conversations/v3/conversations/threads/{thread.ThreadId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Client.GetAsync("crm/v3/properties/tickets/only_here")).StatusCode);
        // And the other way round: the default portal's seeded contact and thread list are not the new portal's.
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"crm/v3/objects/contacts/{SeedData.AdaContactId}")).StatusCode);
        Assert.DoesNotContain(await sandbox.Admin.ThreadsAsync(), t => t["thread"]!["id"].Str() == thread.ThreadId);
        Assert.Single(await sandbox.Admin.ForPortal(other.PortalId).ThreadsAsync());
        // Ids are the portal's own range, so an id from one portal can never name an object of another.
        Assert.NotEqual("1001", contactId);
        Assert.NotEqual(SeedData.InboxId, other.InboxId);
        Assert.Equal(other.InboxId, (await sandbox.Admin.ForPortal(other.PortalId).InfoAsync()).Inboxes.Single().Id);
    }

    [Fact]
    public async Task Each_portal_counts_its_own_rate_limit_windows_and_answers_its_own_429()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var limited = await sandbox.Admin.CreatePortalAsync(new PortalCreate(RateLimits: new RateLimitUpdate(2, null, null)));
        using var limitedClient = sandbox.NewClient(limited.AccessToken);
        var ownerPath = $"crm/v3/owners/{limited.AiUserId}?idProperty=userId";

        var first = await limitedClient.GetAsync(ownerPath);
        await limitedClient.GetAsync(ownerPath);
        var refused = await limitedClient.GetAsync(ownerPath);
        var defaultPortal = await sandbox.Client.GetAsync($"crm/v3/owners/{SeedData.AiOwnerId}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("2", first.Headers.GetValues("X-HubSpot-RateLimit-Max").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("0", refused.Headers.GetValues("X-HubSpot-RateLimit-Remaining").Single());
        Assert.Equal("TEN_SECONDLY_ROLLING", (await refused.Json())["policyName"].Str());
        Assert.Equal(HttpStatusCode.OK, defaultPortal.StatusCode);
        Assert.Equal(sandbox.Options.RequestsPer10Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            defaultPortal.Headers.GetValues("X-HubSpot-RateLimit-Max").Single());
        Assert.Equal((sandbox.Options.RequestsPer10Seconds - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            defaultPortal.Headers.GetValues("X-HubSpot-RateLimit-Remaining").Single());

        // Each portal's request log holds its own calls only.
        var limitedLog = await sandbox.Admin.ForPortal(limited.PortalId).RequestsSinceAsync();
        Assert.Equal([200, 200, 429], limitedLog.Results.Select(r => r.Status));
        Assert.Single((await sandbox.Admin.RequestsSinceAsync()).Results);
    }

    [Fact]
    public async Task A_token_no_portal_knows_gets_401_and_a_revoked_token_of_a_created_portal_too()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var other = await sandbox.Admin.CreatePortalAsync(new PortalCreate(Tokens: [new CreateTokenRequest(["tickets"])]));
        using var unknown = sandbox.NewClient("pat-na1-00000000-0000-4000-8000-00000000dead");
        using var extra = sandbox.NewClient(other.Tokens.Single().Token);

        var unknownAnswer = await unknown.GetAsync("crm/v3/objects/tickets");
        var extraAnswer = await extra.GetAsync("crm/v3/objects/tickets");
        var missingScope = await extra.GetAsync("crm/v3/objects/contacts");
        await sandbox.Admin.ForPortal(other.PortalId).RevokeTokenAsync(other.Tokens.Single().Token);
        var revoked = await extra.GetAsync("crm/v3/objects/tickets");

        Assert.Equal(HttpStatusCode.Unauthorized, unknownAnswer.StatusCode);
        Assert.Equal("INVALID_AUTHENTICATION", (await unknownAnswer.Json())["category"].Str());
        Assert.Equal(HttpStatusCode.OK, extraAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, missingScope.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task A_token_tells_its_own_portal_in_introspection_and_account_info()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var other = await sandbox.Admin.CreatePortalAsync(new PortalCreate(PortalId: 50_000_001, Region: "eu1", AppId: 7_000_001));
        using var client = sandbox.NewClient(other.AccessToken);

        var info = await (await sandbox.Anonymous.PostAsJsonAsync("oauth/v2/private-apps/get/access-token-info", new { tokenKey = other.AccessToken })).Json();
        var account = await client.GetAsync("account-info/v3/details");
        var owner = await (await client.GetAsync($"crm/v3/owners/{other.AiUserId}?idProperty=userId")).Json();

        Assert.StartsWith("pat-eu1-", other.AccessToken, StringComparison.Ordinal);
        Assert.Equal(50_000_001, info["hubId"]!.GetValue<long>());
        Assert.Equal(7_000_001, info["appId"]!.GetValue<long>());
        Assert.Equal(50_000_001, (await account.Json())["portalId"]!.GetValue<long>());
        Assert.Equal("eu1", (await account.Json())["dataHostingLocation"].Str());
        Assert.Equal(other.AiUserId, owner["userId"]!.GetValue<long>());
        Assert.NotEqual(SeedData.AiOwnerId, owner["id"].Str());
    }

    [Fact]
    public async Task A_created_portal_delivers_its_own_events_to_its_own_target_signed_with_its_own_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await Sandbox.StartAsync();
        var other = await sandbox.Admin.CreatePortalAsync(new PortalCreate(
            ClientSecret: "other-portal-secret", WebhookTargetUrl: receiver.Url, Subscriptions: [new PortalSubscription("conversation.newMessage")],
            DefaultAssigneeUserId: null));

        var written = await sandbox.Admin.ForPortal(other.PortalId).CustomerWritesAsync(
            new CustomerMessageRequest("chat", null, "jane@example.com", "Jane", "Where is my parcel?", null, null, null, null));
        var request = (await receiver.WaitForAsync(r => r.Count >= 1))[0];
        await sandbox.Admin.CustomerWritesAsync(new CustomerMessageRequest("chat", null, "ada@example.com", "Ada", "Default portal", null, null, null, null));

        var events = request.Events;
        Assert.All(events, e => Assert.Equal(other.PortalId, e!["portalId"]!.GetValue<long>()));
        Assert.All(events, e => Assert.Equal(other.AppId, e!["appId"]!.GetValue<long>()));
        Assert.Equal("conversation.newMessage", Assert.Single(events)!["subscriptionType"].Str());
        Assert.Equal(written.MessageId, events[0]!["messageId"].Str());
        Assert.True(HubSpotSignatureV3.IsValid(request.Headers["X-HubSpot-Signature-v3"], "other-portal-secret", "POST", request.Url, request.Body,
            request.Headers["X-HubSpot-Request-Timestamp"], DateTimeOffset.UtcNow));
        Assert.False(HubSpotSignatureV3.IsValid(request.Headers["X-HubSpot-Signature-v3"], sandbox.Options.ClientSecret, "POST", request.Url, request.Body,
            request.Headers["X-HubSpot-Request-Timestamp"], DateTimeOffset.UtcNow));
        // The default portal has no target: its customer's message reached nobody, in particular not this receiver.
        await Task.Delay(300);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Reset_of_the_default_portal_removes_created_portals_and_their_tokens()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var other = await sandbox.Admin.CreatePortalAsync(new PortalCreate());
        using var client = sandbox.NewClient(other.AccessToken);
        Assert.Equal(2, (await sandbox.Admin.PortalsAsync()).Count);

        await sandbox.Admin.ResetAsync();

        Assert.Equal(sandbox.Options.PortalId, Assert.Single(await sandbox.Admin.PortalsAsync()).PortalId);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("crm/v3/objects/contacts")).StatusCode);
        var unknown = await Assert.ThrowsAsync<SandboxAdminException>(() => sandbox.Admin.ForPortal(other.PortalId).InfoAsync());
        Assert.Equal(404, unknown.StatusCode);
    }

    [Fact]
    public async Task A_portal_id_or_app_id_in_use_is_refused_with_409_and_a_bad_field_with_400()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var samePortal = await Assert.ThrowsAsync<SandboxAdminException>(() => sandbox.Admin.CreatePortalAsync(new PortalCreate(PortalId: sandbox.Options.PortalId)));
        var sameApp = await Assert.ThrowsAsync<SandboxAdminException>(() => sandbox.Admin.CreatePortalAsync(new PortalCreate(AppId: sandbox.Options.AppId)));
        var badTarget = await Assert.ThrowsAsync<SandboxAdminException>(() => sandbox.Admin.CreatePortalAsync(new PortalCreate(WebhookTargetUrl: "ftp://x")));
        var badLimit = await Assert.ThrowsAsync<SandboxAdminException>(() => sandbox.Admin.CreatePortalAsync(new PortalCreate(RateLimits: new RateLimitUpdate(0, null, null))));

        Assert.Equal(409, samePortal.StatusCode);
        Assert.Equal(409, sameApp.StatusCode);
        Assert.Equal(400, badTarget.StatusCode);
        Assert.Contains("webhookTargetUrl", badTarget.Body, StringComparison.Ordinal);
        Assert.Equal(400, badLimit.StatusCode);
        Assert.Single(await sandbox.Admin.PortalsAsync());
    }
}
