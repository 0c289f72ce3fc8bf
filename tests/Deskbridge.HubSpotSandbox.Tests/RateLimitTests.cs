using System.Net;
using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Burst_limit_returns_429_TEN_SECONDLY_ROLLING_with_headers()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.Admin.SetRateLimitsAsync(requestsPer10Seconds: 3);

        var first = await sandbox.Client.GetAsync("crm/v3/owners/601");
        await sandbox.Client.GetAsync("crm/v3/owners/601");
        await sandbox.Client.GetAsync("crm/v3/owners/601");
        var limited = await sandbox.Client.GetAsync("crm/v3/owners/601");

        Assert.Equal("3", first.Headers.GetValues("X-HubSpot-RateLimit-Max").Single());
        Assert.Equal("2", first.Headers.GetValues("X-HubSpot-RateLimit-Remaining").Single());
        Assert.Equal("10000", first.Headers.GetValues("X-HubSpot-RateLimit-Interval-Milliseconds").Single());
        Assert.True(first.Headers.Contains("X-HubSpot-RateLimit-Daily"));
        Assert.True(first.Headers.Contains("X-HubSpot-RateLimit-Daily-Remaining"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("0", limited.Headers.GetValues("X-HubSpot-RateLimit-Remaining").Single());
        var body = await limited.Json();
        Assert.Equal("error", body["status"].Str());
        Assert.Equal("RATE_LIMIT", body["errorType"].Str());
        Assert.Equal("TEN_SECONDLY_ROLLING", body["policyName"].Str());
        Assert.Equal("You have reached your ten_secondly_rolling limit.", body["message"].Str());
        Assert.NotNull(body["correlationId"]);
    }

    [Fact]
    public async Task Search_limit_returns_429_SECONDLY_without_rate_limit_headers()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.Admin.SetRateLimitsAsync(searchRequestsPerSecond: 2);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            responses.Add(await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", SpecBodies.Search(limit: 1)));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, responses[2].StatusCode);
        var body = await responses[2].Json();
        Assert.Equal("SECONDLY", body["policyName"].Str());
        Assert.Equal("You have reached your secondly limit.", body["message"].Str());
        Assert.All(responses, r => Assert.False(r.Headers.Contains("X-HubSpot-RateLimit-Max")));
    }

    [Fact]
    public async Task Daily_limit_returns_429_DAILY()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.Admin.SetRateLimitsAsync(dailyRequestLimit: 1);

        await sandbox.Client.GetAsync("crm/v3/owners/601");
        var limited = await sandbox.Client.GetAsync("crm/v3/owners/601");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("DAILY", (await limited.Json())["policyName"].Str());
        Assert.Equal("0", limited.Headers.GetValues("X-HubSpot-RateLimit-Daily-Remaining").Single());
    }
}
