using System.Diagnostics;
using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Testing;
using Xunit.Abstractions;

namespace Deskbridge.Tests.ConversationControl;

/// <summary>G5 end to end: a human who takes the thread stops the AI, also an answer already in preparation.</summary>
public sealed class TakeoverTests(ITestOutputHelper output)
{
    private static async Task<ConnectedWorld> WorldWithAssignmentEventsAsync(IDictionary<string, string?>? settings = null)
    {
        var world = await ConnectedWorld.StartAsync(settings);
        await world.SandboxAdmin.SubscribeAsync("conversation.propertyChange", "assignedTo");
        await world.SandboxAdmin.SubscribeAsync("conversation.propertyChange", "status");
        return world;
    }

    [Fact]
    public async Task Takeover_by_assignment_stops_an_answer_in_preparation()
    {
        // Only the assignment webhook can make the guard look again here: the age rule would wait a minute.
        await using var world = await WorldWithAssignmentEventsAsync(new Dictionary<string, string?> { ["Processing:OwnerRecheckAfter"] = "00:01:00" });
        // Any signature makes a reply look up its sending address; holding that look-up is the answer "in preparation".
        (await world.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{world.Organization.Id}/signatures",
            new { domainPattern = "open.cx", html = "<p>Demo Shop</p>" })).EnsureSuccessStatusCode();
        await world.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/channel-accounts/*", FaultKind.Delay, "GET", DelayMilliseconds: 3000, Count: 1));
        var since = await world.RequestSequenceAsync();

        var written = await world.CustomerWritesAsync("How long does standard shipping take?", channel: "email", subject: "Shipping");
        // The owner check has read the thread (still unassigned): the answer is being prepared.
        await Eventually.UntilAsync(() => world.RequestsSinceAsync(since),
            log => log.Any(r => r.Method == "GET" && r.Path == $"/conversations/v3/conversations/threads/{written.ThreadId}"),
            TimeSpan.FromSeconds(20), "Deskbridge's owner check of the thread");
        var watch = Stopwatch.StartNew();
        await world.AssignAsync(written.ThreadId, world.HumanUserId);
        var fate = await ControlApi.SettledAsync(world, written.ThreadId, written.MessageId);
        var stoppedAfter = watch.Elapsed;

        output.WriteLine($"answer in preparation: the human took the thread, the answer was dropped {stoppedAfter.TotalMilliseconds:0} ms later (the held look-up was 3000 ms)");
        Assert.Equal("Skipped", fate.Fate);
        // G1: the send policy's verdict comes first in the fate, then what became of it.
        Assert.EndsWith($"Not posted (G5): A-{world.HumanUserId} took the thread while the answer was being prepared; the AI stops (takeover setting: stop).", fate.Reason, StringComparison.Ordinal);
        Assert.Empty(await ControlApi.AiRepliesAsync(world, written.ThreadId));
        var takeover = (await ControlApi.PropertyChangesAsync(world, written.ThreadId, 1)).Single();
        Assert.Equal($"Takeover (G5): A-{world.HumanUserId} took the thread; the AI stops on this thread (takeover setting: stop).", takeover.Reason);
    }

    [Fact]
    public async Task A_human_taking_the_thread_stops_the_ai_within_a_second()
    {
        await using var world = await WorldWithAssignmentEventsAsync();
        var written = await world.CustomerWritesAsync("How long does standard shipping take?");
        await Eventually.UntilAsync(() => ControlApi.AiRepliesAsync(world, written.ThreadId), r => r.Count == 1, what: "the AI's first reply");

        var latencies = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            await world.AssignAsync(written.ThreadId, i % 2 == 0 ? world.HumanUserId : world.Sandbox.Options.AiUserId);
            var change = (await ControlApi.PropertyChangesAsync(world, written.ThreadId, i + 1)).OrderBy(e => e.Id).Last();
            // occurredAt is HubSpot's (the sandbox's) time of the change; CompletedAt is when Deskbridge had acted on it.
            latencies.Add(change.CompletedAt!.Value - DateTimeOffset.FromUnixTimeMilliseconds(change.OccurredAt!.Value));
        }
        var later = await world.CustomerWritesAsync("And how long does express shipping take?", threadId: written.ThreadId);
        var skipped = await ControlApi.SettledAsync(world, written.ThreadId, later.MessageId);

        output.WriteLine($"owner change → AI stopped (propertyChange acted on): {string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:0} ms"))}");
        Assert.All(latencies, l => Assert.InRange(l, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Equal("Skipped", skipped.Fate);
        Assert.Contains($"owned by A-{world.HumanUserId}", skipped.Reason, StringComparison.Ordinal);
        Assert.Single(await ControlApi.AiRepliesAsync(world, written.ThreadId));
    }

    [Theory]
    [InlineData("stop", 1, 0, "the AI stops on this thread (takeover setting: stop).")]
    [InlineData("draft", 1, 1, "the AI keeps drafting its answers as internal comments (takeover setting: draft).")]
    [InlineData("answer", 2, 0, "the AI keeps answering the customer (takeover setting: answer).")]
    public async Task What_the_ai_does_after_a_takeover_is_the_organizations_setting(string setting, int replies, int drafts, string takeoverFate)
    {
        await using var world = await WorldWithAssignmentEventsAsync();
        await ControlApi.SetAsync(world, setting, burstWindowSeconds: null);
        var written = await world.CustomerWritesAsync("How long does standard shipping take?");
        await Eventually.UntilAsync(() => ControlApi.AiRepliesAsync(world, written.ThreadId), r => r.Count == 1, what: "the AI's first reply");

        await world.AssignAsync(written.ThreadId, world.HumanUserId);
        var takeover = (await ControlApi.PropertyChangesAsync(world, written.ThreadId, 1)).Single();
        var later = await world.CustomerWritesAsync("And how long does express shipping take?", threadId: written.ThreadId);
        var fate = await ControlApi.SettledAsync(world, written.ThreadId, later.MessageId);

        Assert.Equal($"Takeover (G5): A-{world.HumanUserId} took the thread; {takeoverFate}", takeover.Reason);
        Assert.Equal(replies, (await ControlApi.AiRepliesAsync(world, written.ThreadId)).Count);
        Assert.Equal(drafts, (await ControlApi.AiCommentsAsync(world, written.ThreadId)).Count);
        Assert.Equal(setting == "stop" ? "Skipped" : "Processed", fate.Fate);
        if (setting == "draft")
        {
            Assert.Contains($"Takeover (G5): A-{world.HumanUserId} owns the thread and the takeover setting is draft. Drafted an answer", fate.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Closing_the_thread_while_a_slow_answer_is_prepared_keeps_it_from_the_customer()
    {
        // No conversation.propertyChange subscription: the answer's age alone (over OwnerRecheckAfter, 1 s) makes the guard look.
        await using var world = await ConnectedWorld.StartAsync(new Dictionary<string, string?> { ["Processing:OwnerRecheckAfter"] = "00:00:01" });
        (await world.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{world.Organization.Id}/signatures",
            new { domainPattern = "open.cx", html = "<p>Demo Shop</p>" })).EnsureSuccessStatusCode();
        await world.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/channel-accounts/*", FaultKind.Delay, "GET", DelayMilliseconds: 3000, Count: 1));
        var since = await world.RequestSequenceAsync();

        var written = await world.CustomerWritesAsync("How long does standard shipping take?", channel: "email", subject: "Shipping");
        await Eventually.UntilAsync(() => world.RequestsSinceAsync(since),
            log => log.Any(r => r.Method == "GET" && r.Path == $"/conversations/v3/conversations/threads/{written.ThreadId}"),
            TimeSpan.FromSeconds(20), "Deskbridge's owner check of the thread");
        await world.SandboxAdmin.SetThreadStatusAsync(written.ThreadId, "CLOSED");
        var fate = await ControlApi.SettledAsync(world, written.ThreadId, written.MessageId);

        Assert.EndsWith("Not posted (G5): the thread was closed while the answer was being prepared; the AI stops (takeover setting: stop).", fate.Reason, StringComparison.Ordinal);
        Assert.Empty(await ControlApi.AiRepliesAsync(world, written.ThreadId));
    }

    [Fact]
    public async Task Closing_a_thread_is_acted_on_and_recorded()
    {
        await using var world = await WorldWithAssignmentEventsAsync();
        var written = await world.CustomerWritesAsync("How long does standard shipping take?");
        await Eventually.UntilAsync(() => ControlApi.AiRepliesAsync(world, written.ThreadId), r => r.Count == 1, what: "the AI's reply");

        await world.SandboxAdmin.SetThreadStatusAsync(written.ThreadId, "CLOSED");
        var closed = (await ControlApi.PropertyChangesAsync(world, written.ThreadId, 1)).Single();

        Assert.Equal("Processed", closed.Fate);
        Assert.StartsWith("Thread closed (G5): an answer still in preparation is not posted", closed.Reason, StringComparison.Ordinal);
    }
}
