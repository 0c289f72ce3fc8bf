using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Conversations;

/// <summary>
/// Email as a real portal returns it: participants with delivery identifiers only (no actorId), and customer replies
/// whose text and HTML quote the earlier conversation, our own marked answer included.
/// </summary>
public sealed class EmailRealPortalTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public async Task Reply_reaches_the_customer_when_participants_carry_only_delivery_identifiers()
    {
        var written = await World.CustomerWritesAsync("How do I reset my password?", channel: "email", email: "noactor@example.com", subject: "Password");
        await World.SettledEventsAsync(written.ThreadId, atLeast: 3);

        var messages = await World.MessagesAsync(written.ThreadId);
        var customer = messages.First(m => (string?)m["direction"] == "INCOMING");
        Assert.Null(customer["senders"]![0]!["actorId"]);
        var reply = Assert.Single(messages, m => (string?)m["createdBy"] == World.AiActor);
        var recipient = reply["recipients"]![0]!;
        Assert.Equal("noactor@example.com", (string?)recipient["deliveryIdentifier"]!["value"]);
        Assert.Equal("Re: Password", (string?)reply["subject"]);
        Assert.Equal((string?)customer["id"], (string?)reply["inReplyToId"]);
    }

    [Fact]
    public async Task Answers_a_customer_reply_that_quotes_our_earlier_answer_and_reads_only_its_new_part()
    {
        var first = await World.CustomerWritesAsync("How do I reset my password?", channel: "email", email: "quoter@example.com", subject: "Help");
        await World.SettledEventsAsync(first.ThreadId, atLeast: 3);
        var second = await World.CustomerWritesAsync("Thanks. How long does standard shipping take?", channel: "email", threadId: first.ThreadId);
        var events = await World.SettledEventsAsync(first.ThreadId, atLeast: 5);

        var quoted = (await World.MessagesAsync(first.ThreadId)).Single(m => (string?)m["id"] == second.MessageId);
        Assert.Contains("<!-- OpenCX-AI-Response -->", (string?)quoted["richText"], StringComparison.Ordinal);
        Assert.Contains("wrote:", (string?)quoted["text"], StringComparison.Ordinal);
        var answered = events.Single(e => e.MessageId == second.MessageId);
        Assert.Equal("Processed", answered.Fate);
        var replies = (await World.MessagesFromAsync(first.ThreadId, World.AiActor)).Where(m => (string?)m["type"] == "MESSAGE").ToList();
        Assert.Equal(2, replies.Count);
        Assert.Contains("2 to 4 working days", (string?)replies[^1]["text"], StringComparison.Ordinal);

        var session = await World.Deskbridge.GetJsonAsync<JsonObject>($"api/organizations/{World.Organization.Id}/sessions/{answered.SessionId}");
        var customerLines = session["transcript"]!.AsArray().Where(t => (string?)t!["speaker"] == "Customer").Select(t => (string)t!["text"]!).ToList();
        Assert.Equal(["How do I reset my password?", "Thanks. How long does standard shipping take?"], customerLines);
    }
}
