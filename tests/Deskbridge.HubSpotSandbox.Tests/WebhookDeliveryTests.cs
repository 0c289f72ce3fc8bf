using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;
using Deskbridge.Testing;

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
        await sandbox.Admin.PauseWebhooksAsync();

        await sandbox.CustomerStartsChatAsync("one@example.com");
        await sandbox.CustomerStartsChatAsync("two@example.com");
        Assert.Empty(receiver.Requests);
        await sandbox.Admin.ResumeWebhooksAsync();

        var requests = await receiver.WaitForAsync(r => r.Count >= 1);
        Assert.Equal(4, Assert.Single(requests).Events.Count);
    }

    [Fact]
    public async Task Throttle_caps_requests_in_flight_and_queued_events_wait_for_a_free_slot()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Respond = async (_, _) =>
        {
            await release.Task;
            return 200;
        };
        await using var sandbox = await StartDeliveringToAsync(receiver);
        await SetThrottleAsync(sandbox, receiver, 6);

        // One change at a time: each goes out alone while a slot is free (the test waits for it to be in flight, so a busy
        // machine cannot batch two of the first six), then the rest queue up.
        for (var i = 0; i < 10; i++)
        {
            await sandbox.Admin.EditTicketAsync(new("401", new() { ["subject"] = $"Edit {i}" }, UserId: null));
            if (i < 6)
            {
                var inFlight = i + 1;
                await receiver.WaitForAsync(r => r.Count >= inFlight);
            }
        }

        await Task.Delay(300);
        var held = receiver.Requests;
        Assert.Equal(6, held.Count);
        Assert.Equal(10 - held.Sum(r => r.Events.Count), (await sandbox.Admin.DeliveriesAsync()).PendingEvents);

        release.SetResult();
        var requests = await receiver.WaitForAsync(r => r.Sum(x => x.Events.Count) >= 10);
        Assert.Equal(10, requests.Sum(r => r.Events.Count));
        Assert.True(requests.Count <= 7, $"{requests.Count} requests: the queued events should have shared one");
        Assert.Equal(6, receiver.MaxInFlight);
    }

    [Fact]
    public async Task Queued_events_go_out_a_hundred_per_request_whatever_the_throttle()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await StartDeliveringToAsync(receiver);
        await sandbox.Admin.PauseWebhooksAsync();
        for (var i = 0; i < 38; i++)
        {
            // Four watched properties: four events per edit, 152 in all.
            await sandbox.AdminPostAsync("_sandbox/simulate/ticket-property", new
            {
                ticketId = "401",
                properties = new Dictionary<string, string> { ["subject"] = $"S{i}", ["content"] = $"C{i}", ["hs_pipeline_stage"] = i % 2 == 0 ? "2" : "3", ["hs_ticket_priority"] = i % 2 == 0 ? "HIGH" : "LOW" },
            });
        }

        var stopwatch = Stopwatch.StartNew();
        await sandbox.Admin.ResumeWebhooksAsync();
        var requests = await receiver.WaitForAsync(r => r.Sum(x => x.Events.Count) >= 152);

        Assert.Equal([100, 52], requests.Select(r => r.Events.Count).Order().Reverse());
        // Two requests, not 152 one by one: the bound only catches a per-event pace, so a busy machine does not trip it.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"152 queued events took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Default_throttle_is_hubspots_ten_requests_in_flight()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var settings = await sandbox.GetJsonAsync("_sandbox/webhooks/settings");

        Assert.Equal(10, settings["maxConcurrentRequests"]!.GetValue<int>());
    }

    [Fact]
    public async Task Admin_settings_refuse_the_old_events_per_second_knob()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Anonymous.PutAsJsonAsync("_sandbox/webhooks/settings", new { targetUrl = "http://127.0.0.1:9/x", eventsPerSecond = 100 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("maxConcurrentRequests", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task SetThrottleAsync(Sandbox sandbox, WebhookReceiver receiver, int maxConcurrentRequests)
    {
        var response = await sandbox.Anonymous.PutAsJsonAsync($"webhooks/v3/{sandbox.Options.AppId}/settings?hapikey={sandbox.Options.DeveloperApiKey}",
            new { targetUrl = receiver.Url, throttling = new { maxConcurrentRequests, period = "SECONDLY" } });
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Failed_deliveries_are_retried_with_attemptNumber_incrementing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (index, _) => Task.FromResult(index < 2 ? 500 : 200);
        await using var sandbox = await StartDeliveringToAsync(receiver);

        await sandbox.Admin.EditTicketAsync(new("401", new() { ["subject"] = "Renamed" }, UserId: null));

        var requests = await receiver.WaitForAsync(r => r.Count >= 3);
        Assert.Equal([0, 1, 2], requests.Select(r => r.Events[0]!["attemptNumber"]!.GetValue<int>()));
        Assert.Single(requests.Select(r => r.Events[0]!["eventId"]!.GetValue<long>()).Distinct());
        var attempts = (await Eventually.UntilAsync(() => sandbox.Admin.DeliveriesAsync(), d => d.Results.Count >= 3)).Results;
        Assert.Equal([500, 500, 200], attempts.Select(a => a.StatusCode));
        Assert.True(attempts[2].Succeeded);
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

        await sandbox.Admin.EditTicketAsync(new("401", new() { ["subject"] = "Slow" }, UserId: null));

        var requests = await receiver.WaitForAsync(r => r.Count >= 2);
        Assert.Equal([0, 1], requests.Take(2).Select(r => r.Events[0]!["attemptNumber"]!.GetValue<int>()));
        var deliveries = await Eventually.UntilAsync(() => sandbox.Admin.DeliveriesAsync(), d => d.Results.Count >= 2);
        Assert.Contains("Timed out", deliveries.Results[0].Error, StringComparison.Ordinal);
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
            o.WebhookRetryWindow = TimeSpan.FromSeconds(20);
        });

        await sandbox.Admin.EditTicketAsync(new("401", new() { ["subject"] = "Nobody home" }, UserId: null));

        await Eventually.UntilAsync(() => sandbox.Admin.DeliveriesAsync(), d => d.Results.Count >= 3);
        await Task.Delay(200);
        var attempts = (await sandbox.Admin.DeliveriesAsync()).Results;
        Assert.Equal([0, 1, 2], attempts.Select(a => a.AttemptNumber));
        Assert.All(attempts, a => Assert.StartsWith("Connection failed", a.Error, StringComparison.Ordinal));
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

    [Fact]
    public async Task A_failing_batch_is_retried_ten_times_on_hubspots_schedule_scaled_to_the_window()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(503);
        var window = TimeSpan.FromSeconds(3);
        await using var sandbox = await StartDeliveringToAsync(receiver, o => o.WebhookRetryWindow = window);

        await sandbox.Admin.EditTicketAsync(new("401", new() { ["subject"] = "Never accepted" }, UserId: null));

        var requests = await receiver.WaitForAsync(r => r.Count >= 11, TimeSpan.FromSeconds(15));
        await Task.Delay(window / 2);
        requests = receiver.Requests;
        Assert.Equal(11, requests.Count);
        Assert.Equal(Enumerable.Range(0, 11), requests.Select(r => r.Events[0]!["attemptNumber"]!.GetValue<int>()));
        Assert.Single(requests.Select(r => r.Events[0]!["eventId"]!.GetValue<long>()).Distinct());

        // The schedule starts when the first attempt failed; the last retry is due up to a quarter of its gap early, never late.
        // The bounds apply to when each retry was scheduled (the log's nextRetryAt): how late a busy machine then starts it is
        // not the schedule's doing, so of the actual starts the test asks only that none came before its due time.
        static DateTimeOffset At(string? at) => DateTimeOffset.Parse(at!, System.Globalization.CultureInfo.InvariantCulture);
        var log = (await sandbox.Admin.DeliveriesAsync()).Results;
        var firstFailed = At(log[0].CompletedAt);
        var dues = log.Take(10).Select(a => At(a.NextRetryAt)).ToList();
        var offsets = dues.Select(d => (d - firstFailed).TotalMilliseconds).ToList();
        var described = string.Join(", ", offsets.Select(o => o.ToString("0", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.InRange(offsets[^1], window.TotalMilliseconds * 0.87, window.TotalMilliseconds + 200);
        Assert.InRange(offsets[^2], window.TotalMilliseconds * 0.37, window.TotalMilliseconds * 0.63 + 200);
        Assert.True(offsets.Zip(offsets.Skip(1)).All(p => p.First <= p.Second), described);
        Assert.All(log.Skip(1).Zip(dues), pair => Assert.True(At(pair.First.StartedAt) >= pair.Second, $"retry started before its due time: {described}"));
        Assert.Null(log[10].NextRetryAt);
    }

    [Fact]
    public void Retry_offsets_grow_stay_inside_the_window_and_are_jittered()
    {
        var random = new Random(7);
        var schedules = Enumerable.Range(0, 200)
            .Select(_ => Enumerable.Range(1, 10).Select(n => Webhooks.WebhookRetrySchedule.OffsetOf(n, TimeSpan.FromHours(24), random)).ToList())
            .ToList();

        Assert.All(schedules, offsets =>
        {
            Assert.True(offsets.Zip(offsets.Skip(1)).All(p => p.First < p.Second), "offsets must increase");
            Assert.InRange(offsets[^1], TimeSpan.FromHours(18), TimeSpan.FromHours(24));
            Assert.InRange(offsets[0], TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(110));
        });
        Assert.True(schedules.Select(s => s[4]).Distinct().Count() > 150, "concurrent failures must not retry at the same moment");
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(429)]
    [InlineData(500)]
    public async Task Every_4xx_and_5xx_answer_is_retried(int status)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (index, _) => Task.FromResult(index == 0 ? status : 200);
        await using var sandbox = await StartDeliveringToAsync(receiver);

        await sandbox.Admin.EditTicketAsync(new("401", new() { ["subject"] = "Refused once" }, UserId: null));

        var requests = await receiver.WaitForAsync(r => r.Count >= 2);
        Assert.Equal([0, 1], requests.Select(r => r.Events[0]!["attemptNumber"]!.GetValue<int>()));
        Assert.Equal(requests[0].Body.Replace("\"attemptNumber\":0", "\"attemptNumber\":1", StringComparison.Ordinal), requests[1].Body);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(304)]
    public async Task A_redirect_is_not_followed_and_not_retried(int status)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (_, context) =>
        {
            context.Response.Headers.Location = receiver.Url;
            return Task.FromResult(status);
        };
        await using var sandbox = await StartDeliveringToAsync(receiver);

        await sandbox.Admin.EditTicketAsync(new("401", new() { ["subject"] = "Moved" }, UserId: null));

        await receiver.WaitForAsync(r => r.Count >= 1);
        await Task.Delay(500); // the first retry would be due after about 25 ms
        var attempt = Assert.Single((await sandbox.Admin.DeliveriesAsync()).Results);
        Assert.Single(receiver.Requests);
        Assert.False(attempt.Succeeded);
        Assert.Null(attempt.NextRetryAt);
    }

    [Fact]
    public async Task V3_signature_covers_the_url_as_sent_not_as_configured()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // HttpClient removes the dot segments and escapes the space: the receiver sees /hubspot/webhook?note=a%20b.
        await using var sandbox = await StartDeliveringToAsync(receiver, o => o.WebhookTargetUrl = receiver.BaseUrl + "/hubspot/extra/../webhook?note=a b&org=x%3Ay");

        await sandbox.Admin.EditTicketAsync(new("401", new() { ["subject"] = "Signed" }, UserId: null));

        var request = (await receiver.WaitForAsync(r => r.Count >= 1))[0];
        Assert.Equal(receiver.BaseUrl + "/hubspot/webhook?note=a%20b&org=x%3Ay", request.Url);
        Assert.True(HubSpotSignatureV3.IsValid(request.Headers["X-HubSpot-Signature-v3"], sandbox.Options.ClientSecret, "POST", request.Url, request.Body,
            request.Headers["X-HubSpot-Request-Timestamp"], DateTimeOffset.UtcNow));
        var v1 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sandbox.Options.ClientSecret + request.Body)));
        Assert.Equal(v1, request.Headers["X-HubSpot-Signature"]);
    }

    [Fact]
    public async Task Different_changes_can_carry_the_same_eventId_and_do_by_default()
    {
        await using var always = await Sandbox.StartAsync(o =>
        {
            o.WebhookTargetUrl = "http://127.0.0.1:9/unused";
            o.WebhookMaxAttempts = 0;
            o.WebhookEventIdRepeatRate = 1;
        });

        await always.Admin.EditTicketAsync(new("401", new() { ["subject"] = "One", ["content"] = "Two" }, UserId: null));
        await always.Admin.EditTicketAsync(new("402", new() { ["subject"] = "Three" }, UserId: null));

        var events = (await always.GetJsonAsync("_sandbox/webhooks/events"))["results"]!.AsArray();
        Assert.Equal(3, events.Count);
        Assert.Single(events.Select(e => e!["eventId"]!.GetValue<long>()).Distinct());
        Assert.Equal(3, events.Select(e => $"{e!["objectId"]}/{e["propertyName"]}").Distinct().Count());
        Assert.Equal(0.02, new SandboxOptions().WebhookEventIdRepeatRate);
    }
}
