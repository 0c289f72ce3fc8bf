using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Processing;

/// <summary>W2 and the processing contract: every accepted event is processed exactly once across a stop and a restart.</summary>
public sealed class CrashSafetyTests : IAsyncLifetime
{
    private ConnectedWorld _world = null!;

    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Restart_in_the_middle_of_a_batch_answers_every_message_exactly_once()
    {
        await _world.PauseWebhooksAsync();
        var threads = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            threads.Add((await _world.CustomerWritesAsync("How long does standard shipping take?")).ThreadId);
        }
        // Slow replies, so the stop lands while the batch is being worked through.
        await _world.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/threads/*/messages", FaultKind.Delay, Method: "POST", DelayMilliseconds: 400));
        await _world.ResumeWebhooksAsync();

        await Eventually.UntilAsync(() => _world.Deskbridge.EventsAsync(_world.Organization.Id), e => e.Count >= 16, what: "the batch to be accepted");
        await Task.Delay(600);
        await _world.RestartDeskbridgeAsync();
        await _world.ClearFaultsAsync();

        foreach (var thread in threads)
        {
            await _world.SettledEventsAsync(thread, atLeast: 3, TimeSpan.FromSeconds(30));
            Assert.Single(await _world.MessagesFromAsync(thread, _world.AiActor));
        }
    }

    [Fact]
    public async Task Stop_between_posting_a_reply_and_marking_it_done_posts_no_second_reply()
    {
        // HubSpot takes its time to answer the post; Deskbridge is stopped while it waits, and HubSpot still posts.
        await _world.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/threads/*/messages", FaultKind.Delay, Method: "POST", DelayMilliseconds: 2500));
        var written = await _world.CustomerWritesAsync("How long does standard shipping take?");
        await Eventually.UntilAsync(() => _world.RequestsSinceAsync(0),
            calls => calls.Any(c => c.Method == "POST" && c.Path.Contains(written.ThreadId, StringComparison.Ordinal)) ||
                     calls.Count(c => c.Path.Contains(written.ThreadId, StringComparison.Ordinal)) >= 2,
            what: "the reply to be on its way");
        await Task.Delay(500);

        await _world.RestartDeskbridgeAsync();
        await _world.ClearFaultsAsync();
        await Eventually.UntilAsync(() => _world.MessagesFromAsync(written.ThreadId, _world.AiActor), m => m.Count >= 1, TimeSpan.FromSeconds(20), "the reply");
        var events = await _world.SettledEventsAsync(written.ThreadId, atLeast: 3, TimeSpan.FromSeconds(30));

        Assert.Single(await _world.MessagesFromAsync(written.ThreadId, _world.AiActor));
        Assert.Equal("Processed", events.Single(e => e.MessageId == written.MessageId).Fate);
        // HubSpot applied the interrupted post; after the restart Deskbridge found it on the thread instead of posting again.
        var posts = (await _world.RequestsSinceAsync(0)).Count(c => c.Method == "POST" && c.Path.EndsWith($"{written.ThreadId}/messages", StringComparison.Ordinal));
        Assert.Equal(1, posts);
    }

    [Fact]
    public async Task Interrupted_email_reply_is_found_among_our_own_posts_even_when_the_customer_quoted_it_meanwhile()
    {
        // HubSpot applies the post late; Deskbridge stops while it waits. Before it is back, the customer answers and
        // their mail client quotes our reply, hidden intent marker and all: the newest message carrying the marker is theirs.
        await _world.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/threads/*/messages", FaultKind.Delay, Method: "POST", DelayMilliseconds: 2500, Count: 1));
        var first = await _world.CustomerWritesAsync("How do I reset my password?", channel: "email", email: "quoting@example.com", subject: "Reset");
        await Eventually.UntilAsync(() => _world.RequestsSinceAsync(0),
            calls => calls.Any(c => c.Method == "POST" && c.Path.EndsWith($"{first.ThreadId}/messages", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20), "the reply to be on its way");
        var stopped = await _world.StopDeskbridgeAsync();
        await Eventually.UntilAsync(() => _world.MessagesFromAsync(first.ThreadId, _world.AiActor), m => m.Count == 1, TimeSpan.FromSeconds(20), "HubSpot to apply the post");
        var second = await _world.CustomerWritesAsync("Thanks! How long does standard shipping take?", channel: "email", threadId: first.ThreadId);
        Assert.Contains("deskbridge:", (string?)(await _world.MessagesAsync(first.ThreadId)).Single(m => (string?)m["id"] == second.MessageId)["richText"],
            StringComparison.Ordinal);

        await _world.StartDeskbridgeAgainAsync(stopped);
        var events = await _world.SettledEventsAsync(first.ThreadId, atLeast: 5, TimeSpan.FromSeconds(60));

        var ours = (await _world.MessagesFromAsync(first.ThreadId, _world.AiActor)).Where(m => (string?)m["type"] == "MESSAGE").ToList();
        Assert.Equal(2, ours.Count);
        var firstFate = events.Single(e => e.MessageId == first.MessageId);
        Assert.Equal("Processed", firstFate.Fate);
        Assert.Contains($"(message {ours[0]["id"]})", firstFate.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(second.MessageId, firstFate.Reason, StringComparison.Ordinal);
        Assert.Equal("Processed", events.Single(e => e.MessageId == second.MessageId).Fate);
    }
}
