using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Webhooks;
using Deskbridge.Testing;
using Xunit.Abstractions;

namespace Deskbridge.Tests.Storage;

/// <summary>W2 while SQLite is locked by another connection: webhooks get a quick 503 (HubSpot retries), then are accepted; nothing acknowledged is lost.</summary>
public sealed class IngressUnderLockTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan LockHeld = TimeSpan.FromSeconds(10);

    private ConnectedWorld _world = null!;

    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync(sandboxOptions: sandbox =>
    {
        // HubSpot-like: 5 s timeout, retries that outlast the lock (1 s, 2 s, 4 s, 8 s …: ten doublings over ~17 min).
        sandbox.WebhookRetryWindow = TimeSpan.FromSeconds(1023);
        sandbox.WebhookMaxAttempts = 10;
    });

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Webhooks_get_a_quick_503_while_the_database_is_locked_and_are_accepted_after()
    {
        var threads = new List<string>();
        var locked = DateTimeOffset.UtcNow;
        await using (await _world.Deskbridge.HoldWriteLockAsync())
        {
            for (var i = 0; i < 3; i++)
            {
                threads.Add((await _world.CustomerWritesAsync("How long does standard shipping take?")).ThreadId);
                await Task.Delay(LockHeld / 3);
            }
        }
        var released = DateTimeOffset.UtcNow;

        foreach (var thread in threads)
        {
            await _world.SettledEventsAsync(thread, atLeast: 2, TimeSpan.FromSeconds(60));
            Assert.Single(await _world.MessagesFromAsync(thread, _world.AiActor));
        }

        var deliveries = (await _world.SandboxAdmin.DeliveriesAsync()).Results;
        var duringLock = deliveries.Where(d => At(d.CompletedAt) < released).ToList();
        Assert.NotEmpty(duringLock);
        var slowest = duringLock.Max(Duration);
        output.WriteLine($"lock held {(released - locked).TotalSeconds:F1} s; {duringLock.Count} deliveries answered during it, " +
            $"status {string.Join(",", duringLock.Select(d => d.StatusCode).Distinct())}, slowest {slowest.TotalMilliseconds:F0} ms; " +
            $"{deliveries.Count(d => d.Succeeded)} accepted after");
        Assert.All(duringLock, d => Assert.Equal(503, d.StatusCode));
        Assert.True(slowest < TimeSpan.FromSeconds(4), $"a webhook waited {slowest} for its answer while the database was locked");

        // Nothing acknowledged is lost: every event of every 200 is in Deskbridge's event log.
        var logged = (await _world.Deskbridge.EventsAsync(_world.Organization.Id)).Select(e => e.EventId).ToHashSet();
        foreach (var accepted in deliveries.Where(d => d.Succeeded))
        {
            Assert.All(accepted.Events, e => Assert.Contains(e.EventId.ToString(System.Globalization.CultureInfo.InvariantCulture), logged));
        }
    }

    private static DateTimeOffset At(string at) => DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);

    private static TimeSpan Duration(DeliveryAttempt delivery) => At(delivery.CompletedAt) - At(delivery.StartedAt);
}
