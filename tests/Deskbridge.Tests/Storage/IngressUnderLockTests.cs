using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Deskbridge.Tests.Storage;

/// <summary>W2 while SQLite is locked by another connection: webhooks get a quick 503 (HubSpot retries), then are accepted; nothing acknowledged is lost.</summary>
public sealed class IngressUnderLockTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan LockHeld = TimeSpan.FromSeconds(10);

    private ConnectedWorld world = null!;

    public async Task InitializeAsync() => world = await ConnectedWorld.StartAsync(sandboxOptions: sandbox =>
    {
        // HubSpot-like: 5 s timeout, retries that outlast the lock (1 s, 2 s, 4 s, 8 s …: ten doublings over ~17 min).
        sandbox.WebhookRetryWindow = TimeSpan.FromSeconds(1023);
        sandbox.WebhookMaxAttempts = 10;
    });

    public async Task DisposeAsync() => await world.DisposeAsync();

    [Fact]
    public async Task Webhooks_get_a_quick_503_while_the_database_is_locked_and_are_accepted_after()
    {
        var threads = new List<string>();
        var locked = DateTimeOffset.UtcNow;
        await using (await world.Deskbridge.HoldWriteLockAsync())
        {
            for (var i = 0; i < 3; i++)
            {
                threads.Add((await world.CustomerWritesAsync("How long does standard shipping take?")).ThreadId);
                await Task.Delay(LockHeld / 3);
            }
        }
        var released = DateTimeOffset.UtcNow;

        foreach (var thread in threads)
        {
            await world.SettledEventsAsync(thread, atLeast: 2, TimeSpan.FromSeconds(60));
            Assert.Single(await world.MessagesFromAsync(thread, world.AiActor));
        }

        var deliveries = (await world.SandboxHttp.GetFromJsonAsync<JsonObject>("_sandbox/webhooks/deliveries"))!["results"]!.AsArray()
            .Select(d => d!.AsObject()).ToList();
        var duringLock = deliveries.Where(d => DateTimeOffset.Parse((string)d["completedAt"]!, System.Globalization.CultureInfo.InvariantCulture) < released).ToList();
        Assert.NotEmpty(duringLock);
        var slowest = duringLock.Max(Duration);
        output.WriteLine($"lock held {(released - locked).TotalSeconds:F1} s; {duringLock.Count} deliveries answered during it, " +
            $"status {string.Join(",", duringLock.Select(d => (int?)d["statusCode"]).Distinct())}, slowest {slowest.TotalMilliseconds:F0} ms; " +
            $"{deliveries.Count(d => (bool)d["succeeded"]!)} accepted after");
        Assert.All(duringLock, d => Assert.Equal(503, (int?)d["statusCode"]));
        Assert.True(slowest < TimeSpan.FromSeconds(4), $"a webhook waited {slowest} for its answer while the database was locked");

        // Nothing acknowledged is lost: every event of every 200 is in Deskbridge's event log.
        var logged = (await world.Deskbridge.EventsAsync(world.Organization.Id)).Select(e => e.EventId).ToHashSet();
        foreach (var accepted in deliveries.Where(d => (bool)d["succeeded"]!))
        {
            Assert.All(accepted["events"]!.AsArray(), e => Assert.Contains(e!["eventId"]!.ToString(), logged));
        }
    }

    private static TimeSpan Duration(JsonObject delivery) =>
        DateTimeOffset.Parse((string)delivery["completedAt"]!, System.Globalization.CultureInfo.InvariantCulture) -
        DateTimeOffset.Parse((string)delivery["startedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
}
