using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

public sealed class FaultTests
{
    private const string MessagesPattern = "/conversations/v3/conversations/threads/*/messages";

    [Fact]
    public async Task Next_n_calls_fail_with_the_configured_status_then_recover()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();
        await sandbox.AdminPostAsync("_sandbox/faults", new { method = "GET", pathPattern = MessagesPattern, kind = "error", statusCode = 503, count = 2 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await sandbox.Client.GetAsync($"conversations/v3/conversations/threads/{threadId}/messages")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], statuses);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Client.GetAsync($"conversations/v3/conversations/threads/{threadId}")).StatusCode);
    }

    [Fact]
    public async Task Fault_probability_fails_about_that_fraction_of_calls()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.AdminPostAsync("_sandbox/faults", new { pathPattern = "/crm/v3/owners/**", kind = "error", statusCode = 500, probability = 0.5 });

        var failures = 0;
        for (var i = 0; i < 40; i++)
        {
            if ((await sandbox.Client.GetAsync("crm/v3/owners/601")).StatusCode == HttpStatusCode.InternalServerError)
            {
                failures++;
            }
        }

        Assert.InRange(failures, 5, 35);
    }

    [Fact]
    public async Task Delay_fault_slows_the_response_then_answers_normally()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.AdminPostAsync("_sandbox/faults", new { pathPattern = "/crm/v3/owners/*", kind = "delay", delayMilliseconds = 300, count = 1 });

        var stopwatch = Stopwatch.StartNew();
        var response = await sandbox.Client.GetAsync("crm/v3/owners/601");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(stopwatch.ElapsedMilliseconds >= 280, $"took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Timeout_fault_hangs_until_the_client_gives_up()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.AdminPostAsync("_sandbox/faults", new { pathPattern = "/crm/v3/owners/*", kind = "timeout", count = 1 });
        using var impatient = sandbox.NewClient(sandbox.Options.DemoToken);
        impatient.Timeout = TimeSpan.FromMilliseconds(400);

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.GetAsync("crm/v3/owners/601"));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Client.GetAsync("crm/v3/owners/601")).StatusCode);
    }

    [Fact]
    public async Task Injected_429_has_hubspot_body_and_retry_after()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.AdminPostAsync("_sandbox/faults", new { pathPattern = "/crm/v3/objects/contacts/search", kind = "rateLimit", retryAfterSeconds = 2, policyName = "SECONDLY", count = 1 });

        var response = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", SpecBodies.Search(limit: 1));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Equal("SECONDLY", (await response.Json())["policyName"].Str());
    }

    [Fact]
    public async Task Faults_can_be_listed_and_cleared()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.AdminPostAsync("_sandbox/faults", new { pathPattern = "/crm/**", kind = "error" });

        var listed = await sandbox.GetJsonAsync("_sandbox/faults");
        (await sandbox.Anonymous.DeleteAsync("_sandbox/faults")).EnsureSuccessStatusCode();

        Assert.Single(listed["results"]!.AsArray());
        Assert.Empty((await sandbox.GetJsonAsync("_sandbox/faults"))["results"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Client.GetAsync("crm/v3/owners/601")).StatusCode);
    }

    [Fact]
    public async Task Request_log_counts_calls_since_a_sequence_and_masks_tokens()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var since = (await sandbox.GetJsonAsync("_sandbox/requests"))["lastSequence"]!.GetValue<long>();

        await sandbox.Client.GetAsync("crm/v3/owners/601");
        await sandbox.Anonymous.GetAsync("crm/v3/owners/601");

        var log = await sandbox.GetJsonAsync($"_sandbox/requests?since={since}");
        var entries = log["results"]!.AsArray();
        Assert.Equal(2, entries.Count);
        Assert.Equal("/crm/v3/owners/601", entries[0]!["path"].Str());
        Assert.Equal(200, entries[0]!["status"]!.GetValue<int>());
        Assert.Equal("…" + sandbox.Options.DemoToken[^4..], entries[0]!["token"].Str());
        Assert.Equal(401, entries[1]!["status"]!.GetValue<int>());
        Assert.DoesNotContain(sandbox.Options.DemoToken, log.ToJsonString(), StringComparison.Ordinal);
    }
}
