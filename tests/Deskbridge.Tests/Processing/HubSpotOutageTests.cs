using System.Diagnostics;
using System.Text.RegularExpressions;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Testing;
using Xunit.Abstractions;

namespace Deskbridge.Tests.Processing;

/// <summary>C9: a message that waits on HubSpot is never lost; it waits (up to a horizon) and is answered once HubSpot is back.</summary>
public sealed partial class HubSpotOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Small values keep the test fast; the old budget (6 attempts, 0.2 s doubling: about 6 s) is far shorter than the outage.
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Processing:RetryBaseDelay"] = "00:00:00.200",
        ["Processing:MaxRetryDelay"] = "00:00:01",
        ["Processing:RetryHorizon"] = "00:10:00",
        ["HubSpot:CircuitBreakerBreakDuration"] = "00:00:01",
    };

    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);

    private ConnectedWorld _world = null!;

    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync(Settings);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Messages_written_during_a_full_outage_are_answered_once_in_order_after_recovery()
    {
        var outage = Stopwatch.StartNew();
        await _world.AddFaultAsync(new FaultRequest("/**", FaultKind.Error, StatusCode: 503));

        var threads = new List<(string ThreadId, string First, string Second)>();
        for (var i = 0; i < 3; i++)
        {
            var first = await _world.CustomerWritesAsync("How long does standard shipping take?");
            var second = await _world.CustomerWritesAsync("How can I track my order?", threadId: first.ThreadId);
            threads.Add((first.ThreadId, first.MessageId, second.MessageId));
        }

        var remaining = Outage - outage.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }
        var duringOutage = await _world.Deskbridge.EventsAsync(_world.Organization.Id);
        Assert.DoesNotContain(duringOutage, e => e.Fate == "Failed");
        Assert.Contains(duringOutage, e => e.Status == "Pending" && e.Reason?.Contains("circuit", StringComparison.Ordinal) == true);
        var recovered = Stopwatch.StartNew();
        await _world.ClearFaultsAsync();
        output.WriteLine($"outage {outage.Elapsed.TotalSeconds:F1} s; {duringOutage.Count(e => e.Status == "Pending")} events waiting, " +
            $"most attempts spent {duringOutage.Max(e => e.ProcessingAttempts)}");

        var answered = 0;
        foreach (var (threadId, first, second) in threads)
        {
            var events = await _world.SettledEventsAsync(threadId, atLeast: 3, TimeSpan.FromSeconds(60));
            Assert.DoesNotContain(events, e => e.Fate == "Failed");
            var ai = await _world.MessagesFromAsync(threadId, _world.AiActor);
            Assert.Equal(2, ai.Count);
            answered += ai.Count;

            // In order per thread: the answer to the first message was posted before the answer to the second.
            var firstReply = ReplyIdOf(events.Single(e => e.MessageId == first));
            var secondReply = ReplyIdOf(events.Single(e => e.MessageId == second));
            var posted = ai.Select(m => (string?)m["id"]).ToList();
            Assert.True(posted.IndexOf(firstReply) < posted.IndexOf(secondReply),
                $"replies out of order on thread {threadId}: {System.Text.Json.JsonSerializer.Serialize(events)} / {string.Join(", ", ai.Select(m => m.ToJsonString()))}");
        }
        output.WriteLine($"{answered} answers (6 messages, 0 duplicates) within {recovered.Elapsed.TotalSeconds:F1} s of recovery");
    }

    private static string ReplyIdOf(DeskbridgeApi.EventView e)
    {
        Assert.Equal("Processed", e.Fate);
        var match = PostedMessage().Match(e.Reason ?? "");
        Assert.True(match.Success, e.Reason);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"\(message (\w+)\)")]
    private static partial Regex PostedMessage();
}
