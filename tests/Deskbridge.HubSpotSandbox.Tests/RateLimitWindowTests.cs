using System.Net;
using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

/// <summary>The limits' windows on a fake clock: where each window starts and ends, to the millisecond, without waiting.</summary>
public sealed class RateLimitWindowTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<string> PolicyOfAsync(HttpResponseMessage response) =>
        (await response.Json())["policyName"].Str();

    [Fact]
    public async Task Ten_second_window_rolls_a_call_frees_its_slot_exactly_ten_seconds_after_it_was_made()
    {
        await using var sandbox = await ClockedSandbox.StartAsync(Noon);
        await sandbox.Admin.SetRateLimitsAsync(requestsPer10Seconds: 2);

        Assert.Equal(HttpStatusCode.OK, (await sandbox.Client.GetAsync("crm/v3/owners/601")).StatusCode);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Client.GetAsync("crm/v3/owners/601")).StatusCode);

        // A millisecond short of ten seconds the first call still holds its slot.
        sandbox.Clock.Advance(TimeSpan.FromMilliseconds(5_999));
        var limited = await sandbox.Client.GetAsync("crm/v3/owners/601");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("TEN_SECONDLY_ROLLING", await PolicyOfAsync(limited));

        // At ten seconds it has aged out: one slot, not two (the second call is four seconds younger).
        sandbox.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Client.GetAsync("crm/v3/owners/601")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await sandbox.Client.GetAsync("crm/v3/owners/601")).StatusCode);
    }

    [Fact]
    public async Task Search_limit_is_per_second_and_a_refused_search_does_not_count()
    {
        await using var sandbox = await ClockedSandbox.StartAsync(Noon);
        await sandbox.Admin.SetRateLimitsAsync(searchRequestsPerSecond: 1);
        var search = new { filterGroups = Array.Empty<object>(), properties = Array.Empty<string>(), sorts = Array.Empty<string>(), limit = 1, after = "0" };

        Assert.Equal(HttpStatusCode.OK, (await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", search)).StatusCode);
        sandbox.Clock.Advance(TimeSpan.FromMilliseconds(999));
        var limited = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", search);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("SECONDLY", await PolicyOfAsync(limited));

        // One second after the first search (the refused one, 999 ms in, took no slot).
        sandbox.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", search)).StatusCode);
    }

    [Fact]
    public async Task Daily_limit_resets_at_utc_midnight()
    {
        await using var sandbox = await ClockedSandbox.StartAsync(new DateTimeOffset(2026, 12, 1, 23, 59, 59, TimeSpan.Zero));
        await sandbox.Admin.SetRateLimitsAsync(dailyRequestLimit: 1);

        Assert.Equal(HttpStatusCode.OK, (await sandbox.Client.GetAsync("crm/v3/owners/601")).StatusCode);
        var limited = await sandbox.Client.GetAsync("crm/v3/owners/601");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("DAILY", await PolicyOfAsync(limited));

        sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Client.GetAsync("crm/v3/owners/601")).StatusCode);
    }
}
