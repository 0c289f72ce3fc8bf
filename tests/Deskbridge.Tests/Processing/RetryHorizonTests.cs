using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Processing;

/// <summary>C9: when the retry horizon runs out, a customer message is handed off with the reason, or failed as needing a human; never dropped.</summary>
public sealed class RetryHorizonTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Processing:RetryBaseDelay"] = "00:00:00.200",
        ["Processing:MaxRetryDelay"] = "00:00:00.500",
        ["Processing:RetryHorizon"] = "00:00:03",
        ["HubSpot:MaxRetries"] = "1",
        ["HubSpot:CircuitBreakerBreakDuration"] = "00:00:01",
    };

    private ConnectedWorld _world = null!;

    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync(Settings);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Message_that_cannot_be_read_until_the_horizon_is_handed_off_with_the_reason()
    {
        // HubSpot keeps answering 429 for this one read (no circuit opens for 429s); everything else works.
        await _world.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/threads/*/messages/*", FaultKind.RateLimit, Method: "GET"));

        var written = await _world.CustomerWritesAsync("How long does standard shipping take?");
        var events = await _world.SettledEventsAsync(written.ThreadId, atLeast: 2, TimeSpan.FromSeconds(30));

        var message = events.Single(e => e.MessageId == written.MessageId);
        Assert.Equal("Processed", message.Fate);
        Assert.Contains("Handed off", message.Reason, StringComparison.Ordinal);
        Assert.Contains("retry horizon ran out", message.Reason, StringComparison.Ordinal);
        var note = Assert.Single(await _world.MessagesAsync(written.ThreadId), m => (string?)m["type"] == "COMMENT");
        Assert.Contains("retry horizon ran out", (string?)note["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_whose_horizon_runs_out_in_a_full_outage_fails_saying_it_needs_a_human()
    {
        await _world.AddFaultAsync(new FaultRequest("/**", FaultKind.Error, StatusCode: 503));

        var written = await _world.CustomerWritesAsync("How long does standard shipping take?");
        var events = await _world.SettledEventsAsync(written.ThreadId, atLeast: 2, TimeSpan.FromSeconds(30));
        await _world.ClearFaultsAsync();

        var message = events.Single(e => e.MessageId == written.MessageId);
        Assert.Equal("Failed", message.Fate);
        Assert.Contains("retry horizon ran out", message.Reason, StringComparison.Ordinal);
        Assert.Contains("needs a human", message.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(await _world.MessagesAsync(written.ThreadId), m => (string?)m["type"] == "COMMENT" || (string?)m["direction"] == "OUTGOING");
    }
}
