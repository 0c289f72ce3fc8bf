using System.Net;
using System.Net.Http.Json;
using System.Text;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Processing;

/// <summary>HubSpot's faults (429 bursts, 5xx) are retried with backoff: every reply still arrives, once.</summary>
public sealed class FaultToleranceTests : IAsyncLifetime
{
    private ConnectedWorld _world = null!;

    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Replies_arrive_once_through_429_bursts_and_5xx_errors()
    {
        await _world.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/threads/*/messages/*", FaultKind.RateLimit, Method: "GET", Count: 4));
        await _world.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/threads/*", FaultKind.Error, Method: "GET", StatusCode: 502, Count: 3));
        await _world.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/threads/*/messages", FaultKind.Error, Method: "POST", StatusCode: 503, Count: 3));

        var threads = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            threads.Add((await _world.CustomerWritesAsync("How long does standard shipping take?")).ThreadId);
        }

        foreach (var thread in threads)
        {
            var events = await _world.SettledEventsAsync(thread, atLeast: 3, TimeSpan.FromSeconds(40));
            Assert.Single(await _world.MessagesFromAsync(thread, _world.AiActor));
            Assert.DoesNotContain(events, e => e.Fate == "Failed");
        }
    }

    [Fact]
    public async Task Tampered_signature_is_rejected_when_the_client_secret_is_configured()
    {
        var body = DeskbridgeApi.Batch(DeskbridgeApi.NewMessageEvent("777", "m-1", 1));
        using var request = new HttpRequestMessage(HttpMethod.Post, _world.Organization.WebhookUrl.Replace("http://localhost:5000/", _world.Deskbridge.BaseAddress.ToString(), StringComparison.Ordinal))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-HubSpot-Signature-v3", Convert.ToBase64String(new byte[32]));
        request.Headers.Add("X-HubSpot-Request-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        var response = await _world.Deskbridge.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await _world.Deskbridge.EventsAsync(_world.Organization.Id, "&threadId=777"));
        // The sandbox signs its deliveries with the app's client secret, and those pass.
        var written = await _world.CustomerWritesAsync("Hi, how long does shipping take?");
        await _world.SettledEventsAsync(written.ThreadId, atLeast: 3);
    }
}

/// <summary>A 403 for missing scopes is recorded with the scope names, never swallowed.</summary>
public sealed class MissingScopeTests : IAsyncLifetime
{
    private ConnectedWorld _world = null!;

    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Reply_without_conversations_write_fails_with_the_scope_named()
    {
        var token = await _world.CreateTokenAsync("crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read", "crm.objects.deals.read",
            "crm.objects.owners.read", "tickets", "conversations.read", "oauth");
        await _world.ConnectAsync(token, _world.Sandbox.Options.ClientSecret);

        var written = await _world.CustomerWritesAsync("How long does standard shipping take?");
        var events = await _world.SettledEventsAsync(written.ThreadId, atLeast: 2);

        var failed = events.Single(e => e.MessageId == written.MessageId);
        Assert.Equal("Failed", failed.Fate);
        Assert.Contains("MISSING_SCOPES", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("conversations.write", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(1, failed.ProcessingAttempts);
    }
}
