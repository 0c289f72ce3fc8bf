using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;
using Xunit.Abstractions;

using static Deskbridge.Testing.DeskbridgeApi;

namespace Deskbridge.Tests.Webhooks;

/// <summary>W2 under HubSpot's own throttle: 10 requests in flight × 100 events, each acked inside HubSpot's 5 s timeout.</summary>
public sealed class WebhookBurstTests(ITestOutputHelper output)
{
    private const int Threads = 10;
    private const int CommentsPerThread = 100;

    [Fact]
    public async Task Ten_requests_in_flight_of_a_hundred_events_are_all_acked_within_five_seconds_and_processed_in_order_per_thread()
    {
        await using var world = await ConnectedWorld.StartAsync(
            settings: new Dictionary<string, string?> { ["HubSpot:RequestsPer10Seconds"] = "100000" },
            sandboxOptions: o => o.RequestsPer10Seconds = 1_000_000);
        await world.SettingsAsync(new { autopilotChannels = Array.Empty<string>(), assistMode = false, ticketingEnabled = false });
        await world.SandboxAdmin.SetWebhookSettingsAsync(targetUrl: null, maxConcurrentRequests: 10);

        var threads = new List<string>();
        for (var i = 0; i < Threads; i++)
        {
            threads.Add((await world.CustomerWritesAsync($"Question {i}")).ThreadId);
        }
        foreach (var thread in threads)
        {
            await world.SettledEventsAsync(thread, atLeast: 2);
        }

        // 1,000 comments queued while paused, thread after thread in turn, so each thread's events spread over every request.
        await world.PauseWebhooksAsync();
        for (var n = 0; n < CommentsPerThread; n++)
        {
            await Task.WhenAll(threads.Select(t => world.AgentWritesAsync(t, $"note {n}", type: "COMMENT")));
        }
        var before = (await world.SandboxAdmin.DeliveriesAsync()).Results.Count;
        await world.ResumeWebhooksAsync();

        var attempts = await Eventually.UntilAsync(
            async () => (await world.SandboxAdmin.DeliveriesAsync()).Results.Skip(before).ToList(),
            a => a.Sum(x => x.EventCount) >= Threads * CommentsPerThread, TimeSpan.FromSeconds(60), "the burst delivered");

        Assert.Equal(10, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(100, a.EventCount));
        Assert.All(attempts, a => Assert.Equal(200, a.StatusCode));
        Assert.All(attempts, a => Assert.Equal(0, a.AttemptNumber));
        var spans = attempts.Select(a => (Start: Time(a.StartedAt), End: Time(a.CompletedAt))).ToList();
        var durations = spans.Select(s => (s.End - s.Start).TotalMilliseconds).Order().ToList();
        var overlapping = spans.Max(s => spans.Count(o => o.Start <= s.Start && o.End > s.Start));
        output.WriteLine($"acks: p50 {durations[durations.Count / 2]:0} ms, max {durations[^1]:0} ms; {overlapping} requests in flight at once");
        Assert.True(durations[^1] < 5_000, $"slowest ack {durations[^1]:0} ms");
        Assert.True(overlapping > 1, "the requests should have overlapped");

        foreach (var thread in threads)
        {
            var events = await Eventually.UntilAsync(() => world.Deskbridge.GetJsonAsync<List<Row>>($"api/organizations/{world.Organization.Id}/events?limit=1000&threadId={thread}"),
                e => e.Count(x => x.SubscriptionType == "conversation.newMessage") >= CommentsPerThread + 1 && e.All(x => x.Status == "Done"),
                TimeSpan.FromSeconds(90), $"thread {thread} settled");
            // HubSpot's order is occurredAt (its delivery order is not guaranteed); ties keep arrival order. With ten requests
            // in flight an earlier change may still be on its way while a later one is processed, so the guarantee pinned is:
            // no event starts ahead of an earlier one the inbox already held. A thread's events run one at a time, so an event
            // started after the one processed before it finished; an event was committed at the latest when its ack left.
            var slowestAck = TimeSpan.FromMilliseconds(durations[^1]);
            var messages = events.Where(e => e.SubscriptionType == "conversation.newMessage").ToList();
            Assert.DoesNotContain(messages, e => e.Fate is "Failed" or "Rejected" or "Duplicate");
            var processed = messages.OrderBy(e => e.CompletedAt).ThenBy(e => e.Id).ToList();
            for (var i = 1; i < processed.Count; i++)
            {
                var (previous, current) = (processed[i - 1], processed[i]);
                var skippedAhead = processed.Skip(i + 1).Where(e => (e.OccurredAt, e.Id).CompareTo((current.OccurredAt, current.Id)) < 0);
                foreach (var earlier in skippedAhead)
                {
                    Assert.True(earlier.ReceivedAt + slowestAck >= previous.CompletedAt,
                        $"thread {thread}: event {current.Id} started after {previous.CompletedAt:O}, ahead of event {earlier.Id}, which happened first and was in the inbox since {earlier.ReceivedAt + slowestAck:O} at the latest");
                }
            }
        }
    }

    private static DateTimeOffset Time(string at) => DateTimeOffset.Parse(at, CultureInfo.InvariantCulture);

    private sealed record Row(long Id, string SubscriptionType, string Status, string? Fate, DateTimeOffset? CompletedAt, long? OccurredAt, DateTimeOffset ReceivedAt);
}
