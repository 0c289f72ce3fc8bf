using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Processing;

/// <summary>C1: HubSpot may send a message's webhook before the message can be read; it is looked up again before it counts as gone.</summary>
public sealed class ReadAfterWriteTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Processing:NotFoundAttempts"] = "4",
        ["Processing:NotFoundRetryDelay"] = "00:00:00.100",
    };

    private ConnectedWorld _world = null!;

    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync(Settings);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Message_not_found_right_after_its_webhook_is_answered_once_it_can_be_read()
    {
        await _world.PauseWebhooksAsync();
        var written = await _world.CustomerWritesAsync("How long does standard shipping take?");
        // The first two reads of the message answer 404, as during HubSpot's read-after-write lag.
        await _world.AddFaultAsync(new FaultRequest($"/conversations/v3/conversations/threads/{written.ThreadId}/messages/{written.MessageId}", FaultKind.Error, Method: "GET", StatusCode: 404, Count: 2));
        await _world.ResumeWebhooksAsync();

        var events = await _world.SettledEventsAsync(written.ThreadId, atLeast: 2);

        var message = events.Single(e => e.MessageId == written.MessageId);
        Assert.Equal("Processed", message.Fate);
        Assert.Equal(3, message.ProcessingAttempts);
        Assert.Single(await _world.MessagesFromAsync(written.ThreadId, _world.AiActor));
    }

    [Fact]
    public async Task Message_that_stays_not_found_is_recorded_as_gone_after_its_looks()
    {
        await _world.PauseWebhooksAsync();
        var written = await _world.CustomerWritesAsync("How long does standard shipping take?");
        await _world.AddFaultAsync(new FaultRequest($"/conversations/v3/conversations/threads/{written.ThreadId}/messages/{written.MessageId}", FaultKind.Error, Method: "GET", StatusCode: 404));
        await _world.ResumeWebhooksAsync();

        var events = await _world.SettledEventsAsync(written.ThreadId, atLeast: 2);

        var message = events.Single(e => e.MessageId == written.MessageId);
        Assert.Equal("Skipped", message.Fate);
        Assert.Contains("does not exist", message.Reason, StringComparison.Ordinal);
        Assert.Equal(4, message.ProcessingAttempts);
    }
}
