using Deskbridge.Testing;

namespace Deskbridge.Tests.Processing;

/// <summary>Every event reaches a fate when storage refuses its writes, and a poison event does not hold its thread.</summary>
public sealed class StorageFailureTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Processing:MaxAttempts"] = "3",
        ["Processing:RetryBaseDelay"] = "00:00:00.100",
    };

    private ConnectedWorld _world = null!;

    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync(Settings);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Poison_event_whose_writes_are_refused_fails_after_its_attempts_and_the_thread_moves_on()
    {
        var (threadId, first, second) = await TwoMessagesHeldBackAsync();
        // Storage refuses the first message's transcript line, every time: the handler throws on each attempt.
        await _world.Deskbridge.AddRefusingTriggerAsync("refuse_transcript_line",
            $"BEFORE INSERT ON SessionMessages WHEN NEW.HubSpotMessageId = '{first}'", "injected: storage refused this row");
        await _world.ResumeWebhooksAsync();

        var events = await _world.SettledEventsAsync(threadId, atLeast: 3, TimeSpan.FromSeconds(30));

        var poison = events.Single(e => e.MessageId == first);
        Assert.Equal("Failed", poison.Fate);
        Assert.Contains("Gave up after 3 attempts", poison.Reason, StringComparison.Ordinal);
        Assert.Contains("injected: storage refused this row", poison.Reason, StringComparison.Ordinal);
        Assert.Equal(3, poison.ProcessingAttempts);
        Assert.Equal("Processed", events.Single(e => e.MessageId == second).Fate);
        Assert.Single(await _world.MessagesFromAsync(threadId, _world.AiActor));
    }

    [Fact]
    public async Task Event_whose_outcome_cannot_be_stored_ends_failed_with_what_was_done()
    {
        var (threadId, first, second) = await TwoMessagesHeldBackAsync();
        // The reply goes out, but storage refuses to record the first message's Processed fate (Fate 1), every time.
        await _world.Deskbridge.AddRefusingTriggerAsync("refuse_processed_fate",
            $"BEFORE UPDATE ON InboxEvents WHEN NEW.MessageId = '{first}' AND NEW.Fate = 1", "injected: disk refused the fate");
        await _world.ResumeWebhooksAsync();

        var events = await _world.SettledEventsAsync(threadId, atLeast: 3, TimeSpan.FromSeconds(30));

        var unrecorded = events.Single(e => e.MessageId == first);
        Assert.Equal("Failed", unrecorded.Fate);
        Assert.Contains("could not be stored", unrecorded.Reason, StringComparison.Ordinal);
        Assert.Contains("Replied on thread", unrecorded.Reason, StringComparison.Ordinal);
        Assert.Contains("injected: disk refused the fate", unrecorded.Reason, StringComparison.Ordinal);
        Assert.Equal("Processed", events.Single(e => e.MessageId == second).Fate);
        // Re-running the first message posted nothing twice: one answer per customer message.
        Assert.Equal(2, (await _world.MessagesFromAsync(threadId, _world.AiActor)).Count);
    }

    /// <summary>A new thread with two customer messages whose webhooks wait in the sandbox until the test resumes them.</summary>
    private async Task<(string ThreadId, string First, string Second)> TwoMessagesHeldBackAsync()
    {
        await _world.PauseWebhooksAsync();
        var first = await _world.CustomerWritesAsync("How long does standard shipping take?");
        var second = await _world.CustomerWritesAsync("How can I track my order?", threadId: first.ThreadId);
        return (first.ThreadId, first.MessageId, second.MessageId);
    }
}
