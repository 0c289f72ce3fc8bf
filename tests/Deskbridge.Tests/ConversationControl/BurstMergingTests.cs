using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;
using Xunit.Abstractions;

namespace Deskbridge.Tests.ConversationControl;

/// <summary>G3 end to end through the sandbox: a burst of customer lines gets one answer; a lone line waits the window only.</summary>
public sealed class BurstMergingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_burst_of_three_chat_messages_gets_one_answer_covering_all_of_them()
    {
        await using var world = await ConnectedWorld.StartAsync();
        await ControlApi.SetAsync(world, "stop", burstWindowSeconds: 3);

        var first = await world.CustomerWritesAsync("Hi there");
        var second = await world.CustomerWritesAsync("I ordered a jacket last week", threadId: first.ThreadId);
        var third = await world.CustomerWritesAsync("How long does standard shipping take?", threadId: first.ThreadId);
        var events = await world.SettledEventsAsync(first.ThreadId, atLeast: 4, TimeSpan.FromSeconds(30));
        // Anything a second answer would need has happened by now: the burst's window is long over.
        await Task.Delay(TimeSpan.FromSeconds(1));

        var replies = await ControlApi.AiRepliesAsync(world, first.ThreadId);
        output.WriteLine($"burst: 3 messages in, {replies.Count} answer(s) out");
        foreach (var e in events)
        {
            output.WriteLine($"{e.SubscriptionType} {e.MessageId}: {e.Fate} {e.Reason}");
        }
        Assert.Single(replies);
        var answered = events.Single(e => e.MessageId == first.MessageId);
        Assert.Equal("Processed", answered.Fate);
        Assert.Contains($"One answer to 3 messages (G3 burst; also {second.MessageId}, {third.MessageId})", answered.Reason, StringComparison.Ordinal);
        foreach (var merged in new[] { second, third })
        {
            var fate = events.Single(e => e.MessageId == merged.MessageId);
            Assert.Equal("Processed", fate.Fate);
            Assert.Equal($"Answered together with message {first.MessageId} (G3: a burst of 3 messages, one answer).", fate.Reason);
        }

        var session = await world.Deskbridge.Http.GetFromJsonAsync<JsonObject>($"api/organizations/{world.Organization.Id}/sessions/{answered.SessionId}");
        var customerLines = session!["transcript"]!.AsArray().Where(l => (string?)l!["speaker"] == "Customer").Select(l => (string?)l!["text"]).ToList();
        Assert.Equal(["Hi there", "I ordered a jacket last week", "How long does standard shipping take?"], customerLines);
    }

    [Fact]
    public async Task Two_questions_in_a_burst_get_one_answer_that_covers_both()
    {
        await using var world = await ConnectedWorld.StartAsync();
        await ControlApi.SetAsync(world, "stop", burstWindowSeconds: 3);

        var first = await world.CustomerWritesAsync("How long does standard shipping take?");
        await world.CustomerWritesAsync("And how can I track my order?", threadId: first.ThreadId);
        await world.SettledEventsAsync(first.ThreadId, atLeast: 3, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));

        var reply = Assert.Single(await ControlApi.AiRepliesAsync(world, first.ThreadId));
        var text = (string?)reply["text"];
        output.WriteLine(text);
        Assert.Contains("Standard delivery takes 2 to 4 working days", text, StringComparison.Ordinal); // the first question's article
        Assert.Contains("tracking number", text, StringComparison.Ordinal); // the second's
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text!, "Is there anything else I can help you with"));
    }

    [Fact]
    public async Task Ten_threads_bursting_at_once_get_one_answer_each()
    {
        await using var world = await ConnectedWorld.StartAsync();
        // Five seconds: on a machine shared with other builds a webhook can take a few seconds to arrive, and a line that
        // arrives after the window is (rightly) a burst of its own.
        await ControlApi.SetAsync(world, "stop", burstWindowSeconds: 5);

        var threads = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var first = await world.CustomerWritesAsync("Hello");
            await world.CustomerWritesAsync($"It is about order {1000 + i}", threadId: first.ThreadId);
            await world.CustomerWritesAsync("How long does standard shipping take?", threadId: first.ThreadId);
            threads.Add(first.ThreadId);
        }
        foreach (var thread in threads)
        {
            await world.SettledEventsAsync(thread, atLeast: 4, TimeSpan.FromSeconds(30));
        }
        await Task.Delay(TimeSpan.FromSeconds(1));

        var answers = 0;
        foreach (var thread in threads)
        {
            var replies = (await ControlApi.AiRepliesAsync(world, thread)).Count;
            answers += replies;
            if (replies != 1)
            {
                foreach (var e in await world.Deskbridge.EventsAsync(world.Organization.Id, $"&threadId={thread}"))
                {
                    output.WriteLine($"thread {thread} ({replies} replies): {e.SubscriptionType} {e.MessageId} {e.OccurredAt} {e.ReceivedAt:O}: {e.Fate} {e.Reason}");
                }
            }
        }
        output.WriteLine($"burst: {threads.Count * 3} messages in on {threads.Count} threads, {answers} answers out");
        Assert.Equal(threads.Count, answers);
    }

    [Fact]
    public async Task A_lone_message_is_answered_after_the_window_and_no_later()
    {
        await using var world = await ConnectedWorld.StartAsync();
        await ControlApi.SetAsync(world, "stop", burstWindowSeconds: 2);

        var watch = Stopwatch.StartNew();
        var written = await world.CustomerWritesAsync("How long does standard shipping take?");
        await Eventually.UntilAsync(() => ControlApi.AiRepliesAsync(world, written.ThreadId), r => r.Count == 1, TimeSpan.FromSeconds(20), "the AI's reply");
        var took = watch.Elapsed;
        var fate = await ControlApi.SettledAsync(world, written.ThreadId, written.MessageId);

        output.WriteLine($"lone message answered {took.TotalMilliseconds:0} ms after it was written (window 2 s)");
        Assert.Equal("Processed", fate.Fate);
        Assert.DoesNotContain("One answer to", fate.Reason, StringComparison.Ordinal);
        Assert.InRange(took, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2 + 3));
    }

    [Fact]
    public async Task A_message_after_the_window_gets_an_answer_of_its_own()
    {
        await using var world = await ConnectedWorld.StartAsync();
        await ControlApi.SetAsync(world, "stop", burstWindowSeconds: 1);

        var first = await world.CustomerWritesAsync("How long does standard shipping take?");
        await Eventually.UntilAsync(() => ControlApi.AiRepliesAsync(world, first.ThreadId), r => r.Count == 1, TimeSpan.FromSeconds(20), "the first reply");
        var later = await world.CustomerWritesAsync("And how long does express shipping take?", threadId: first.ThreadId);
        await Eventually.UntilAsync(() => ControlApi.AiRepliesAsync(world, first.ThreadId), r => r.Count == 2, TimeSpan.FromSeconds(20), "the second reply");

        Assert.Equal("Processed", (await ControlApi.SettledAsync(world, first.ThreadId, later.MessageId)).Fate);
    }
}
