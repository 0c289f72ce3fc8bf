using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.EventLog;

/// <summary>Failed events go back into the inbox in bulk, by reason and time received; admins only; the filter is validated.</summary>
public sealed class BulkRetryTests : IAsyncLifetime
{
    private ConnectedWorld _world = null!;

    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private string RetryPath => $"api/organizations/{_world.Organization.Id}/events/retry";

    [Fact]
    public async Task Failed_events_matching_reason_and_time_are_requeued_and_then_answered()
    {
        // Without conversations.write every reply fails with MISSING_SCOPES, an answer that cannot get better by waiting.
        await _world.ConnectAsync(await _world.CreateTokenAsync("crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read",
            "crm.objects.deals.read", "crm.objects.owners.read", "tickets", "conversations.read", "oauth"), _world.Sandbox.Options.ClientSecret);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var threads = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            threads.Add((await _world.CustomerWritesAsync("How long does standard shipping take?")).ThreadId);
        }
        foreach (var thread in threads)
        {
            Assert.Single(await _world.SettledEventsAsync(thread, atLeast: 2), e => e.Fate == "Failed");
        }
        // The scope is granted again: the token is replaced with one that has it.
        await _world.ConnectAsync(_world.Sandbox.Options.DemoToken, _world.Sandbox.Options.ClientSecret);

        Assert.Equal(0, await RequeuedAsync(new { reason = "missing_scopes", to = before }));
        Assert.Equal(0, await RequeuedAsync(new { reason = "no such reason" }));
        Assert.Equal(3, await RequeuedAsync(new { reason = "missing_scopes", from = before, to = DateTimeOffset.UtcNow }));

        foreach (var thread in threads)
        {
            var events = await _world.SettledEventsAsync(thread, atLeast: 2);
            Assert.DoesNotContain(events, e => e.Fate == "Failed");
            Assert.Single(await _world.MessagesFromAsync(thread, _world.AiActor));
        }
        Assert.Equal(0, await RequeuedAsync(new { reason = "MISSING_SCOPES" }));
    }

    [Fact]
    public async Task Bulk_retry_refuses_an_empty_or_backwards_filter()
    {
        var empty = await _world.Deskbridge.Http.PostAsJsonAsync(RetryPath, new { });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("reason", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var backwards = await _world.Deskbridge.Http.PostAsJsonAsync(RetryPath, new { from = DateTimeOffset.UtcNow, to = DateTimeOffset.UtcNow.AddHours(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("before its start", await backwards.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_retry_is_for_admins_like_the_single_retry()
    {
        var (_, memberKey) = await _world.Deskbridge.CreateApiKeyAsync(_world.Organization.Id, "Member");
        using var member = _world.Deskbridge.WithKey(memberKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync(RetryPath, new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsync($"api/organizations/{_world.Organization.Id}/events/1/retry", null)).StatusCode);

        var (_, adminKey) = await _world.Deskbridge.CreateApiKeyAsync(_world.Organization.Id, "Admin");
        using var admin = _world.Deskbridge.WithKey(adminKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync(RetryPath, new { reason = "x" })).StatusCode);

        var other = await _world.Deskbridge.CreateOrganizationAsync("Other Shop");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"api/organizations/{other.Id}/events/retry", new { reason = "x" })).StatusCode);
    }

    private async Task<int> RequeuedAsync(object filter)
    {
        var response = await _world.Deskbridge.Http.PostAsJsonAsync(RetryPath, filter);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["requeued"]!.GetValue<int>();
    }
}
