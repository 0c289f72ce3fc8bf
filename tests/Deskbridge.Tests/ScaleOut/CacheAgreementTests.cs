using System.Net;
using System.Net.Http.Json;
using System.Text;
using Deskbridge.Testing;

namespace Deskbridge.Tests.ScaleOut;

/// <summary>
/// Caches that must agree: a change made through one instance (here, rotating the webhook URL twice, which ends the old
/// URL at once) is seen by another instance on the same database within seconds, though only the first instance's cache
/// was told.
/// </summary>
public sealed class CacheAgreementTests : IAsyncLifetime
{
    private DeskbridgeTestHost _first = null!;
    private DeskbridgeTestHost _second = null!;

    public async Task InitializeAsync()
    {
        _first = await DeskbridgeTestHost.StartAsync();
        _second = await DeskbridgeTestHost.StartAsync(_first.DataDirectory, new Dictionary<string, string?> { ["Processing:Enabled"] = "false" });
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task Webhook_url_rotated_through_one_instance_is_refused_by_the_other_within_seconds()
    {
        var organization = await _first.CreateOrganizationAsync();
        var old = new Uri(organization.WebhookUrl).AbsolutePath.TrimStart('/');
        Assert.Equal(HttpStatusCode.OK, (await _second.Http.PostAsync(old, Body())).StatusCode); // now in the second instance's cache

        DeskbridgeApi.Organization? rotated = null;
        for (var i = 0; i < 2; i++) // twice: the old URL is no longer even the previous one, so no grace period keeps it
        {
            rotated = await (await _first.Http.PostAsync($"api/organizations/{organization.Id}/webhook-url/rotate", null)).Content
                .ReadFromJsonAsync<DeskbridgeApi.Organization>(DeskbridgeTestHost.Json);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await _first.Http.PostAsync(old, Body())).StatusCode);

        var refusedAfter = System.Diagnostics.Stopwatch.StartNew();
        await Eventually.UntilAsync(async () => (await _second.Http.PostAsync(old, Body())).StatusCode, s => s == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(6), "the second instance to refuse the old URL");
        Assert.True(refusedAfter.Elapsed < TimeSpan.FromSeconds(5), $"took {refusedAfter.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, (await _second.Http.PostAsync(new Uri(rotated!.WebhookUrl).AbsolutePath.TrimStart('/'), Body())).StatusCode);
    }

    private static StringContent Body() => new("[]", Encoding.UTF8, "application/json");
}
