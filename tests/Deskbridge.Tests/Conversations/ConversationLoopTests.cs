using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Conversations;

/// <summary>C1–C8 end to end: a customer writes in the sandbox, HubSpot-style webhooks reach Deskbridge, the answer lands on the thread.</summary>
public sealed class ConversationLoopTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ConnectedWorld World => fixture.World;

    private static string? Text(JsonObject message) => (string?)message["text"];

    [Fact]
    public async Task Answers_a_chat_message_on_the_same_thread_as_the_ai_user_with_the_marker()
    {
        var written = await World.CustomerWritesAsync("How long does standard shipping take?");

        var events = await World.SettledEventsAsync(written.ThreadId, atLeast: 3);

        var replies = await World.MessagesFromAsync(written.ThreadId, World.AiActor);
        var reply = Assert.Single(replies);
        Assert.Equal("MESSAGE", (string?)reply["type"]);
        Assert.Equal("1000", (string?)reply["channelId"]);
        Assert.Equal("5001", (string?)reply["channelAccountId"]);
        Assert.Contains("<!-- OpenCX-AI-Response -->", (string?)reply["richText"], StringComparison.Ordinal);
        Assert.Contains("2 to 4 working days", Text(reply), StringComparison.Ordinal);
        Assert.Contains(events, e => e.MessageId == written.MessageId && e.Fate == "Processed" && e.Reason!.Contains("Replied", StringComparison.Ordinal));
        Assert.Contains(events, e => e.SubscriptionType == "conversation.creation" && e.Fate == "Processed");
        Assert.Contains(events, e => e.MessageId == (string?)reply["id"] && e.Fate == "Skipped");
    }

    [Fact]
    public async Task Answers_email_to_the_customers_mailbox_with_recipient_and_subject_after_the_delay()
    {
        var written = await World.CustomerWritesAsync("How do I reset my password?", channel: "email", email: "pat@example.com", subject: "Password help");

        await World.SettledEventsAsync(written.ThreadId, atLeast: 3);

        var messages = await World.MessagesAsync(written.ThreadId);
        var reply = Assert.Single(messages, m => (string?)m["createdBy"] == World.AiActor);
        Assert.Equal("1002", (string?)reply["channelId"]);
        Assert.Equal("Re: Password help", (string?)reply["subject"]);
        Assert.Equal("pat@example.com", (string?)reply["recipients"]![0]!["deliveryIdentifier"]!["value"]);
        var customerAt = DateTimeOffset.Parse((string)messages[0]["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        var replyAt = DateTimeOffset.Parse((string)reply["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(replyAt - customerAt >= TimeSpan.FromSeconds(0.9), $"email answered after {replyAt - customerAt}, before the C3 delay");
    }

    [Fact]
    public async Task Answered_chat_message_costs_at_most_three_hubspot_calls()
    {
        var before = await World.RequestSequenceAsync();
        var written = await World.CustomerWritesAsync("What payment methods do you accept?");
        await World.SettledEventsAsync(written.ThreadId, atLeast: 3);

        var calls = await World.RequestsSinceAsync(before);
        // I4: a conversation's first answer changes its outcome, written once onto its ticket; later answers make no such call.
        var outcomeWrites = calls.Where(c => c.Method == "PATCH" && c.Path == $"/crm/v3/objects/tickets/{written.TicketId}").ToList();

        Assert.Single(await World.MessagesFromAsync(written.ThreadId, World.AiActor));
        Assert.Single(outcomeWrites);
        Assert.True(calls.Count - outcomeWrites.Count <= 3, $"{calls.Count} calls: {string.Join(", ", calls.Select(c => $"{c.Method} {c.Path}"))}");
    }

    [Fact]
    public async Task Skips_message_when_thread_is_owned_by_a_human()
    {
        var written = await World.CustomerWritesAsync("How long does shipping take?", assigneeUserId: World.HumanUserId);

        var events = await World.SettledEventsAsync(written.ThreadId, atLeast: 2);

        Assert.Empty(await World.MessagesFromAsync(written.ThreadId, World.AiActor));
        var skipped = Assert.Single(events, e => e.MessageId == written.MessageId);
        Assert.Equal("Skipped", skipped.Fate);
        Assert.Contains($"owned by A-{World.HumanUserId}", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stops_when_the_thread_is_reassigned_to_a_human_and_resumes_when_given_back()
    {
        var first = await World.CustomerWritesAsync("How long does shipping take?");
        await World.SettledEventsAsync(first.ThreadId, atLeast: 3);

        await World.AssignAsync(first.ThreadId, World.HumanUserId);
        var second = await World.CustomerWritesAsync("And what does express cost?", threadId: first.ThreadId);
        var events = await World.SettledEventsAsync(first.ThreadId, atLeast: 4);
        Assert.Contains("not the AI user", events.Single(e => e.MessageId == second.MessageId).Reason, StringComparison.Ordinal);

        await World.AssignAsync(first.ThreadId, World.Sandbox.Options.AiUserId);
        var third = await World.CustomerWritesAsync("Can I return an item?", threadId: first.ThreadId);
        events = await World.SettledEventsAsync(first.ThreadId, atLeast: 6);

        Assert.Equal("Processed", events.Single(e => e.MessageId == third.MessageId).Fate);
        Assert.Equal(2, (await World.MessagesFromAsync(first.ThreadId, World.AiActor)).Count);
    }

    [Fact]
    public async Task Skips_internal_comments_and_human_replies_but_keeps_them_in_the_transcript()
    {
        var written = await World.CustomerWritesAsync("How long does shipping take?");
        await World.SettledEventsAsync(written.ThreadId, atLeast: 3);

        await World.AgentWritesAsync(written.ThreadId, "Customer is a VIP, be nice", type: "COMMENT");
        await World.AgentWritesAsync(written.ThreadId, "Hi, Hannah here, I can help too.", type: "MESSAGE");
        var events = await World.SettledEventsAsync(written.ThreadId, atLeast: 5);

        Assert.Contains(events, e => e.Fate == "Skipped" && e.Reason!.Contains("COMMENT", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Fate == "Skipped" && e.Reason!.Contains("human agent", StringComparison.Ordinal));
        Assert.Single(await World.MessagesFromAsync(written.ThreadId, World.AiActor));

        var sessionId = events.First(e => e.SessionId is not null).SessionId;
        var session = await World.Deskbridge.GetJsonAsync<JsonObject>($"api/organizations/{World.Organization.Id}/sessions/{sessionId}");
        var transcript = session["transcript"]!.AsArray().Select(t => $"{t!["speaker"]}: {t["text"]}").ToList();
        Assert.Contains("InternalNote: Customer is a VIP, be nice", transcript);
        Assert.Contains("HumanAgent: Hi, Hannah here, I can help too.", transcript);
        Assert.Equal("Customer", transcript[0].Split(':')[0]);
    }

    [Fact]
    public async Task Hands_off_with_an_internal_note_when_the_customer_asks_for_a_human_and_stops_answering()
    {
        var written = await World.CustomerWritesAsync("I want to talk to a real person please");
        var events = await World.SettledEventsAsync(written.ThreadId, atLeast: 4);

        // G6: the only thing the AI user tells a chat customer is that a human will reply.
        var told = Assert.Single(await World.MessagesFromAsync(written.ThreadId, World.AiActor), m => (string?)m["type"] == "MESSAGE");
        Assert.Contains("A colleague will reply shortly", Text(told), StringComparison.Ordinal);
        var note = Assert.Single(await World.MessagesAsync(written.ThreadId), m => (string?)m["type"] == "COMMENT");
        var text = Text(note)!;
        Assert.StartsWith("🔄 AI decided to handoff", text, StringComparison.Ordinal);
        Assert.Contains("Reason:", text, StringComparison.Ordinal);
        Assert.Contains("Summary:", text, StringComparison.Ordinal);
        Assert.Contains("Sentiment:", text, StringComparison.Ordinal);
        Assert.Contains("Language: English (en)", text, StringComparison.Ordinal);
        Assert.Contains("/sessions/", text, StringComparison.Ordinal);
        Assert.Contains(events, e => e.MessageId == written.MessageId && e.Reason!.Contains("Handed off", StringComparison.Ordinal));

        var later = await World.CustomerWritesAsync("Hello? How long does shipping take?", threadId: written.ThreadId);
        events = await World.SettledEventsAsync(written.ThreadId, atLeast: 5);
        Assert.Contains("Handed off", events.Single(e => e.MessageId == later.MessageId).Reason, StringComparison.Ordinal);
        Assert.Single(await World.MessagesFromAsync(written.ThreadId, World.AiActor), m => (string?)m["type"] == "MESSAGE");
    }

    [Fact]
    public async Task Ticket_edits_flow_into_the_session_custom_data()
    {
        var written = await World.CustomerWritesAsync("How long does shipping take?");
        var events = await World.SettledEventsAsync(written.ThreadId, atLeast: 3);
        var sessionId = events.First(e => e.SessionId is not null).SessionId;

        await World.SandboxAdmin.EditTicketAsync(new(written.TicketId, new() { ["hs_ticket_priority"] = "HIGH" }, UserId: null));

        var session = await Eventually.UntilAsync(
            () => World.Deskbridge.GetJsonAsync<JsonObject>($"api/organizations/{World.Organization.Id}/sessions/{sessionId}"),
            s => ((string?)s["customData"])?.Contains("HIGH", StringComparison.Ordinal) == true, what: "custom data");
        Assert.Contains("\"hs_ticket_priority\":\"HIGH\"", (string?)session["customData"], StringComparison.Ordinal);
    }
}

/// <summary>S5: autopilot is set per channel.</summary>
public sealed class AutopilotTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    [Fact]
    public async Task Skips_email_when_autopilot_is_off_for_email_but_answers_chat()
    {
        var world = fixture.World;
        await world.SettingsAsync(new { autopilotChannels = new[] { "chat" } });

        var email = await world.CustomerWritesAsync("How long does shipping take?", channel: "email", subject: "Shipping");
        var chat = await world.CustomerWritesAsync("How long does shipping take?");

        var emailEvents = await world.SettledEventsAsync(email.ThreadId, atLeast: 2);
        await world.SettledEventsAsync(chat.ThreadId, atLeast: 3);
        Assert.Contains("Autopilot is off for the email channel", emailEvents.Single(e => e.MessageId == email.MessageId).Reason, StringComparison.Ordinal);
        Assert.Empty(await world.MessagesFromAsync(email.ThreadId, world.AiActor));
        Assert.Single(await world.MessagesFromAsync(chat.ThreadId, world.AiActor));
    }
}

/// <summary>C7: assist mode drafts internal comments and ignores the owner.</summary>
public sealed class AssistModeTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    [Fact]
    public async Task Drafts_an_internal_comment_even_on_a_thread_owned_by_a_human()
    {
        var world = fixture.World;
        await world.SettingsAsync(new { assistMode = true });

        var written = await world.CustomerWritesAsync("How long does standard shipping take?", assigneeUserId: world.HumanUserId);
        var events = await world.SettledEventsAsync(written.ThreadId, atLeast: 3);

        var messages = await world.MessagesAsync(written.ThreadId);
        Assert.DoesNotContain(messages, m => (string?)m["type"] == "MESSAGE" && (string?)m["direction"] == "OUTGOING");
        var draft = Assert.Single(messages, m => (string?)m["type"] == "COMMENT");
        Assert.Contains("2 to 4 working days", (string?)draft["text"], StringComparison.Ordinal);
        Assert.Contains("Assist mode", events.Single(e => e.MessageId == written.MessageId).Reason, StringComparison.Ordinal);
    }
}
