using System.Globalization;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Processing;

/// <summary>Waiting work (C3's email delay) holds no worker and hides nothing: a chat behind a pile of delayed emails is answered first.</summary>
public sealed class InboxSchedulingTests : IAsyncLifetime
{
    private ConnectedWorld _world = null!;

    // A scan smaller than the pile of delayed emails: without skipping the waiting threads, the chat would not be seen.
    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync(new Dictionary<string, string?>
    {
        ["Processing:EmailDelay"] = "00:00:04",
        ["Processing:ScanSize"] = "3",
    });

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Chat_is_answered_while_a_pile_of_emails_waits_out_its_delay()
    {
        var emails = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            emails.Add((await _world.CustomerWritesAsync("How long does standard shipping take?", channel: "email", subject: $"Question {i}")).ThreadId);
        }
        // Let every email reach its delay first.
        await Eventually.UntilAsync(() => _world.Deskbridge.EventsAsync(_world.Organization.Id),
            events => events.Count(e => e.Reason?.Contains("waiting until", StringComparison.Ordinal) == true) >= 5, what: "five emails waiting");

        var chat = await _world.CustomerWritesAsync("How long does standard shipping take?");
        await _world.SettledEventsAsync(chat.ThreadId, atLeast: 3, TimeSpan.FromSeconds(10));

        var chatReply = Assert.Single(await _world.MessagesFromAsync(chat.ThreadId, _world.AiActor));
        var chatAt = DateTimeOffset.Parse((string)chatReply["createdAt"]!, CultureInfo.InvariantCulture);
        foreach (var thread in emails)
        {
            await _world.SettledEventsAsync(thread, atLeast: 3, TimeSpan.FromSeconds(20));
            var emailReply = Assert.Single(await _world.MessagesFromAsync(thread, _world.AiActor));
            Assert.True(DateTimeOffset.Parse((string)emailReply["createdAt"]!, CultureInfo.InvariantCulture) > chatAt, "an email was answered before the chat behind it");
        }
    }
}
