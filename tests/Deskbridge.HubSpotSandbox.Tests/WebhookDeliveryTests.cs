using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

public sealed class WebhookDeliveryTests
{
    private static Task<Sandbox> StartDeliveringToAsync(WebhookReceiver receiver, Action<SandboxOptions>? configure = null) =>
        Sandbox.StartAsync(o =>
        {
            o.WebhookTargetUrl = receiver.Url;
            configure?.Invoke(o);
        });

    [Fact]
    public async Task Events_arrive_as_a_signed_json_array_that_an_independent_v3_check_accepts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await StartDeliveringToAsync(receiver);

        var created = await sandbox.CustomerStartsChatAsync();

        var requests = await receiver.WaitForAsync(r => r.Sum(x => x.Events.Count) >= 2);
        var request = requests[0];
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Contains("HubSpot", request.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.Equal("v1", request.Headers["X-HubSpot-Signature-Version"]);
        Assert.True(HubSpotSignatureV3.IsValid(request.Headers["X-HubSpot-Signature-v3"], sandbox.Options.ClientSecret, "POST", request.Url, request.Body,
            request.Headers["X-HubSpot-Request-Timestamp"], DateTimeOffset.UtcNow));
        Assert.False(HubSpotSignatureV3.IsValid(request.Headers["X-HubSpot-Signature-v3"], "wrong-secret", "POST", request.Url, request.Body,
            request.Headers["X-HubSpot-Request-Timestamp"], DateTimeOffset.UtcNow));
        var v1 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sandbox.Options.ClientSecret + request.Body)));
        Assert.Equal(v1, request.Headers["X-HubSpot-Signature"]);

        var events = receiver.AllEvents;
        var newMessage = events.Single(e => e["subscriptionType"].Str() == "conversation.newMessage");
        Assert.Equal(created["messageId"].Str(), newMessage["messageId"].Str());
        Assert.Equal(0, newMessage["attemptNumber"]!.GetValue<int>());
        Assert.True(newMessage["eventId"]!.GetValue<long>() > 0);
        Assert.True(newMessage["subscriptionId"]!.GetValue<long>() > 0);
        Assert.True(newMessage["occurredAt"]!.GetValue<long>() > 1_600_000_000_000);
        Assert.NotNull(newMessage["changeSource"]);
    }

    [Fact]
    public async Task Signature_older_than_five_minutes_is_rejected_by_the_check()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await StartDeliveringToAsync(receiver);
        await sandbox.CustomerStartsChatAsync();

        var request = (await receiver.WaitForAsync(r => r.Count >= 1))[0];

        Assert.False(HubSpotSignatureV3.IsValid(request.Headers["X-HubSpot-Signature-v3"], sandbox.Options.ClientSecret, "POST", request.Url, request.Body,
            request.Headers["X-HubSpot-Request-Timestamp"], DateTimeOffset.UtcNow.AddMinutes(6)));
    }

    [Fact]
    public async Task Events_queued_while_paused_are_delivered_together_in_one_batch()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await StartDeliveringToAsync(receiver);
        (await sandbox.Anonymous.PostAsync("_sandbox/webhooks/pause", null)).EnsureSuccessStatusCode();

        await sandbox.CustomerStartsChatAsync("one@example.com");
        await sandbox.CustomerStartsChatAsync("two@example.com");
        Assert.Empty(receiver.Requests);
        (await sandbox.Anonymous.PostAsync("_sandbox/webhooks/resume", null)).EnsureSuccessStatusCode();

        var requests = await receiver.WaitForAsync(r => r.Count >= 1);
        Assert.Equal(4, Assert.Single(requests).Events.Count);
    }

    [Fact]
    public async Task Throttle_limits_events_per_second()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await StartDeliveringToAsync(receiver, o => o.WebhookEventsPerSecond = 2);
        (await sandbox.Anonymous.PostAsync("_sandbox/webhooks/pause", null)).EnsureSuccessStatusCode();
        for (var i = 0; i < 3; i++)
        {
            await sandbox.CustomerStartsChatAsync($"c{i}@example.com"); // 2 events each
        }

        var stopwatch = Stopwatch.StartNew();
        (await sandbox.Anonymous.PostAsync("_sandbox/webhooks/resume", null)).EnsureSuccessStatusCode();
        var requests = await receiver.WaitForAsync(r => r.Sum(x => x.Events.Count) >= 6);

        Assert.Equal(6, requests.Sum(r => r.Events.Count));
        Assert.All(requests, r => Assert.True(r.Events.Count <= 2));
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(1.8), $"6 events at 2/s took only {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Failed_deliveries_are_retried_with_attemptNumber_incrementing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (index, _) => Task.FromResult(index < 2 ? 500 : 200);
        await using var sandbox = await StartDeliveringToAsync(receiver);

        await sandbox.AdminPostAsync("_sandbox/simulate/ticket-property", new { ticketId = "401", properties = new { subject = "Renamed" } });

        var requests = await receiver.WaitForAsync(r => r.Count >= 3);
        Assert.Equal([0, 1, 2], requests.Select(r => r.Events[0]!["attemptNumber"]!.GetValue<int>()));
        Assert.Single(requests.Select(r => r.Events[0]!["eventId"]!.GetValue<long>()).Distinct());
        var deliveries = await Eventually.Until(
            () => sandbox.GetJsonAsync("_sandbox/webhooks/deliveries"), d => d["results"]!.AsArray().Count >= 3);
        var attempts = deliveries["results"]!.AsArray();
        Assert.Equal([500, 500, 200], attempts.Select(a => a!["statusCode"]!.GetValue<int>()));
        Assert.True(attempts[2]!["succeeded"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Slow_receiver_times_out_and_the_batch_is_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = async (index, context) =>
        {
            if (index == 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // the sandbox gave up on us, as expected
                }
            }

            return 200;
        };
        await using var sandbox = await StartDeliveringToAsync(receiver, o => o.WebhookTimeout = TimeSpan.FromMilliseconds(300));

        await sandbox.AdminPostAsync("_sandbox/simulate/ticket-property", new { ticketId = "401", properties = new { subject = "Slow" } });

        var requests = await receiver.WaitForAsync(r => r.Count >= 2);
        Assert.Equal([0, 1], requests.Take(2).Select(r => r.Events[0]!["attemptNumber"]!.GetValue<int>()));
        var deliveries = await Eventually.Until(() => sandbox.GetJsonAsync("_sandbox/webhooks/deliveries"), d => d["results"]!.AsArray().Count >= 2);
        Assert.Contains("Timed out", deliveries["results"]![0]!["error"].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_failures_are_retried_up_to_the_maximum_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var deadUrl = receiver.Url;
        await receiver.DisposeAsync(); // nothing listens there any more
        await using var sandbox = await Sandbox.StartAsync(o =>
        {
            o.WebhookTargetUrl = deadUrl;
            o.WebhookMaxAttempts = 2;
            o.WebhookRetryBaseDelay = TimeSpan.FromMilliseconds(20);
        });

        await sandbox.AdminPostAsync("_sandbox/simulate/ticket-property", new { ticketId = "401", properties = new { subject = "Nobody home" } });

        var deliveries = await Eventually.Until(() => sandbox.GetJsonAsync("_sandbox/webhooks/deliveries"), d => d["results"]!.AsArray().Count >= 3);
        await Task.Delay(200);
        var attempts = (await sandbox.GetJsonAsync("_sandbox/webhooks/deliveries"))["results"]!.AsArray();
        Assert.Equal([0, 1, 2], attempts.Select(a => a!["attemptNumber"]!.GetValue<int>()));
        Assert.All(attempts, a => Assert.StartsWith("Connection failed", a!["error"].Str(), StringComparison.Ordinal));
        Assert.NotNull(deliveries);
    }

    [Fact]
    public async Task Webhooks_v3_api_configures_settings_and_subscriptions_with_the_developer_key()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await Sandbox.StartAsync();
        var appId = sandbox.Options.AppId;
        var key = sandbox.Options.DeveloperApiKey;

        var unauthorized = await sandbox.Anonymous.GetAsync($"webhooks/v3/{appId}/settings?hapikey=wrong");
        var tooLow = await sandbox.Anonymous.PutAsJsonAsync($"webhooks/v3/{appId}/settings?hapikey={key}", new { targetUrl = receiver.Url, throttling = new { maxConcurrentRequests = 5, period = "SECONDLY" } });
        var settings = await sandbox.Anonymous.PutAsJsonAsync($"webhooks/v3/{appId}/settings?hapikey={key}", new { targetUrl = receiver.Url, throttling = new { maxConcurrentRequests = 100, period = "SECONDLY" } });
        var subscription = await sandbox.Anonymous.PostAsJsonAsync($"webhooks/v3/{appId}/subscriptions?hapikey={key}", new { eventType = "conversation.newMessage", active = true });
        var needsProperty = await sandbox.Anonymous.PostAsJsonAsync($"webhooks/v3/{appId}/subscriptions?hapikey={key}", new { eventType = "ticket.propertyChange", active = true });

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLow.StatusCode);
        settings.EnsureSuccessStatusCode();
        Assert.Equal(100, (await settings.Json())["throttling"]!["maxConcurrentRequests"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Created, subscription.StatusCode);
        Assert.Equal("conversation.newMessage", (await subscription.Json())["eventType"].Str());
        Assert.Equal(HttpStatusCode.BadRequest, needsProperty.StatusCode);

        var created = await sandbox.CustomerStartsChatAsync();
        var requests = await receiver.WaitForAsync(r => r.Count >= 1);
        var only = Assert.Single(Assert.Single(requests).Events);
        Assert.Equal(created["messageId"].Str(), only!["messageId"].Str());
    }
}
