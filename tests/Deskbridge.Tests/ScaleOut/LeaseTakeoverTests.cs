using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Testing;
using Microsoft.Data.Sqlite;

namespace Deskbridge.Tests.ScaleOut;

/// <summary>
/// Exactly-once replies across instances: an instance dies after its reply reached HubSpot and before it recorded the
/// event's fate, leaving its lease behind. Another instance waits for that lease to run out, runs the event again, and
/// finds the reply on the thread through the stored intent instead of posting a second one.
/// </summary>
public sealed class LeaseTakeoverTests : IAsyncLifetime
{
    // A HubSpot attempt may take long here, so the first instance is stopped while its post waits at HubSpot (not timed out).
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Processing:LeaseDuration"] = "00:00:03", ["HubSpot:AttemptTimeout"] = "00:00:30", ["HubSpot:TotalTimeout"] = "00:01:00",
    };
    private ConnectedWorld _world = null!;

    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync(Settings);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Instance_taking_over_a_dead_instances_thread_waits_for_its_lease_and_posts_no_second_reply()
    {
        // HubSpot holds the post; when the first instance dies the connection drops, and HubSpot applies the post anyway.
        await _world.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/threads/*/messages", FaultKind.Delay, Method: "POST", DelayMilliseconds: 20000, Count: 1));
        var written = await _world.CustomerWritesAsync("How long does standard shipping take?");
        // A fault with a count leaves the list once it is taken: the post is waiting at HubSpot then.
        await Eventually.UntilAsync(async () => (await _world.SandboxHttp.GetFromJsonAsync<JsonObject>("_sandbox/faults"))!["results"]!.AsArray().Count,
            left => left == 0, TimeSpan.FromSeconds(20), "the reply to be waiting at HubSpot");
        var stopped = await _world.StopDeskbridgeAsync();
        await _world.ClearFaultsAsync();
        await Eventually.UntilAsync(() => _world.MessagesFromAsync(written.ThreadId, _world.AiActor), m => m.Count == 1, TimeSpan.FromSeconds(20), "HubSpot to apply the post");

        // What a kill -9 leaves: the thread's lease, still valid for a while, owned by an instance that is gone.
        var database = Path.Combine(stopped.Data, "deskbridge.db");
        // Long enough that a slow restart still comes back well before it ends.
        var leaseEnds = DateTimeOffset.UtcNow.AddSeconds(12);
        await LeaveLeaseOfDeadInstanceAsync(database, written.MessageId, leaseEnds);

        await _world.StartDeskbridgeAgainAsync(stopped, Settings);
        var before = await _world.Deskbridge.EventsAsync(_world.Organization.Id);
        Assert.Equal("Pending", before.Single(e => e.MessageId == written.MessageId).Status);
        var untilJustBefore = leaseEnds - DateTimeOffset.UtcNow - TimeSpan.FromMilliseconds(500);
        Assert.True(untilJustBefore > TimeSpan.Zero, $"the restart finished too late to see the lease hold ({untilJustBefore} left)");
        await Task.Delay(untilJustBefore);
        Assert.Equal("Pending", (await _world.Deskbridge.EventsAsync(_world.Organization.Id)).Single(e => e.MessageId == written.MessageId).Status);

        var events = await _world.SettledEventsAsync(written.ThreadId, atLeast: 3, TimeSpan.FromSeconds(30));
        Assert.Equal("Processed", events.Single(e => e.MessageId == written.MessageId).Fate);
        await Task.Delay(1000); // a late second reply would show up here
        Assert.Single(await _world.MessagesFromAsync(written.ThreadId, _world.AiActor));
        var posts = (await _world.RequestsSinceAsync(0)).Count(c => c.Method == "POST" && c.Path.EndsWith($"{written.ThreadId}/messages", StringComparison.Ordinal));
        Assert.Equal(1, posts);
    }

    private static async Task LeaveLeaseOfDeadInstanceAsync(string database, string messageId, DateTimeOffset until)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO InboxLeases (OrganizationId, OrderingKey, Owner, ExpiresAt)
            SELECT OrganizationId, OrderingKey, 'dead-host:4242:00000000', $until FROM InboxEvents WHERE MessageId = $message AND Status = 0
            """;
        command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$message", messageId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
