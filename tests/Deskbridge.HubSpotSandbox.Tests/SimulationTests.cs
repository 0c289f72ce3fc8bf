using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

/// <summary>Simulated changes and the webhook events they publish (read from the sandbox's event history).</summary>
public sealed class SimulationTests
{
    private static Task<Sandbox> StartWithDemoSubscriptionsAsync(Action<SandboxOptions>? configure = null) =>
        Sandbox.StartAsync(o =>
        {
            o.WebhookTargetUrl = "http://127.0.0.1:9/unused"; // creates the demo subscriptions; deliveries are not examined here
            o.WebhookMaxAttempts = 0;
            configure?.Invoke(o);
        });

    private static async Task<IReadOnlyList<JsonNode>> EventsAsync(Sandbox sandbox) =>
        [.. (await sandbox.GetJsonAsync("_sandbox/webhooks/events"))["results"]!.AsArray().Select(e => e!)];

    [Fact]
    public async Task Customer_starting_a_chat_creates_contact_thread_ticket_and_two_events()
    {
        await using var sandbox = await StartWithDemoSubscriptionsAsync(o => o.DefaultAssigneeUserId = 71822709);

        var created = await sandbox.CustomerStartsChatAsync("first.timer@example.com");

        var threadId = created["threadId"].Str();
        var events = await EventsAsync(sandbox);
        Assert.Equal(["conversation.creation", "conversation.newMessage"], events.Select(e => e["subscriptionType"].Str()));
        Assert.All(events, e => Assert.Equal(long.Parse(threadId, System.Globalization.CultureInfo.InvariantCulture), e["objectId"]!.GetValue<long>()));
        var newMessage = events[1];
        Assert.Equal(created["messageId"].Str(), newMessage["messageId"].Str());
        Assert.Equal("MESSAGE", newMessage["messageType"].Str());
        Assert.Equal("NEW_MESSAGE", newMessage["changeFlag"].Str());
        Assert.Equal(sandbox.Options.PortalId, newMessage["portalId"]!.GetValue<long>());
        Assert.Equal(sandbox.Options.AppId, newMessage["appId"]!.GetValue<long>());

        var contact = await sandbox.GetJsonAsync($"crm/v3/objects/contacts/{created["contactId"].Str()}", sandbox.Client);
        Assert.Equal("first.timer@example.com", contact["properties"]!["email"].Str());
        var thread = await sandbox.GetJsonAsync($"_sandbox/threads/{threadId}");
        Assert.Equal("A-71822709", thread["thread"]!["assignedTo"].Str());
        var ticket = await sandbox.GetJsonAsync($"_sandbox/tickets/{created["ticketId"].Str()}");
        Assert.Equal("601", ticket["properties"]!["hubspot_owner_id"].Str());
        Assert.Equal(created["contactId"].Str(), ticket["associations"]!["contacts"]![0]!["id"].Str());
        Assert.Equal(threadId, ticket["associations"]!["conversations"]![0]!["id"].Str());
    }

    [Fact]
    public async Task Customer_email_reuses_the_existing_contact_and_has_email_shape_without_actor_ids()
    {
        await using var sandbox = await StartWithDemoSubscriptionsAsync();

        var created = await sandbox.AdminPostAsync("_sandbox/simulate/customer-message", new
        {
            channel = "email", email = "ada@northwind.example", name = "Ada Lovelace", subject = "Invoice question", text = "Can you resend my invoice?",
        });

        Assert.Equal("101", created["contactId"].Str());
        var thread = await sandbox.GetJsonAsync($"_sandbox/threads/{created["threadId"].Str()}");
        Assert.Null(thread["thread"]!["assignedTo"]);
        var message = thread["messages"]![0]!;
        Assert.Equal("1002", message["channelId"].Str());
        Assert.Equal("Invoice question", message["subject"].Str());
        // Email participants carry delivery identifiers only (HubSpot's changelog); createdBy still names the visitor.
        Assert.Null(message["senders"]![0]!["actorId"]);
        Assert.Equal("V-101", message["createdBy"].Str());
        Assert.Equal("HS_EMAIL_ADDRESS", message["senders"]![0]!["deliveryIdentifier"]!["type"].Str());
        Assert.Equal("ada@northwind.example", message["senders"]![0]!["deliveryIdentifier"]!["value"].Str());
        var ticket = await sandbox.GetJsonAsync($"_sandbox/tickets/{created["ticketId"].Str()}");
        Assert.Equal("Invoice question", ticket["properties"]!["subject"].Str());
    }

    [Fact]
    public async Task Customer_reply_produces_only_a_new_message_event()
    {
        await using var sandbox = await StartWithDemoSubscriptionsAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();

        var reply = await sandbox.AdminPostAsync("_sandbox/simulate/customer-message", new { threadId, text = "Any news?" });

        var events = await EventsAsync(sandbox);
        Assert.Equal(3, events.Count);
        Assert.Equal("conversation.newMessage", events[2]["subscriptionType"].Str());
        Assert.Equal(reply["messageId"].Str(), events[2]["messageId"].Str());
        Assert.False(reply["newThread"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Agent_reply_and_note_produce_new_message_events_with_their_types()
    {
        await using var sandbox = await StartWithDemoSubscriptionsAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();

        var reply = await sandbox.AdminPostAsync("_sandbox/simulate/agent-message", new { threadId, type = "MESSAGE", text = "Hi, Hannah here." });
        var note = await sandbox.AdminPostAsync("_sandbox/simulate/agent-message", new { threadId, type = "COMMENT", text = "Customer is VIP." });

        var events = (await EventsAsync(sandbox)).Skip(2).ToList();
        Assert.Equal([reply["messageId"].Str(), note["messageId"].Str()], events.Select(e => e["messageId"].Str()));
        Assert.Equal(["MESSAGE", "COMMENT"], events.Select(e => e["messageType"].Str()));
        var message = await sandbox.GetJsonAsync($"conversations/v3/conversations/threads/{threadId}/messages/{reply["messageId"].Str()}", sandbox.Client);
        Assert.Equal("OUTGOING", message["direction"].Str());
        Assert.Equal($"A-{sandbox.Options.HumanUserId}", message["senders"]![0]!["actorId"].Str());
    }

    [Fact]
    public async Task Reassigning_a_thread_produces_an_assignedTo_property_change()
    {
        await using var sandbox = await StartWithDemoSubscriptionsAsync(o => o.DefaultAssigneeUserId = 71822709);
        var created = await sandbox.CustomerStartsChatAsync();

        await sandbox.AdminPostAsync("_sandbox/simulate/assign", new { threadId = created["threadId"].Str(), userId = sandbox.Options.HumanUserId });
        await sandbox.AdminPostAsync("_sandbox/simulate/assign", new { threadId = created["threadId"].Str(), userId = (long?)null });

        var changes = (await EventsAsync(sandbox)).Where(e => e["subscriptionType"].Str() == "conversation.propertyChange").ToList();
        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.Equal("assignedTo", c["propertyName"].Str()));
        Assert.Equal($"A-{sandbox.Options.HumanUserId}", changes[0]["propertyValue"].Str());
        Assert.Equal("", changes[1]["propertyValue"].Str());
        var ticket = await sandbox.GetJsonAsync($"_sandbox/tickets/{created["ticketId"].Str()}");
        Assert.Null(ticket["properties"]!["hubspot_owner_id"]);
    }

    [Fact]
    public async Task Closing_and_reopening_a_thread_produces_status_property_changes()
    {
        await using var sandbox = await StartWithDemoSubscriptionsAsync();
        await sandbox.AdminPostAsync("_sandbox/webhooks/subscriptions", new { eventType = "conversation.propertyChange", propertyName = "status", active = true });
        var created = await sandbox.CustomerStartsChatAsync();

        await sandbox.AdminPostAsync("_sandbox/simulate/thread-status", new { threadId = created["threadId"].Str(), status = "CLOSED" });
        await sandbox.AdminPostAsync("_sandbox/simulate/customer-message", new { threadId = created["threadId"].Str(), text = "One more thing" });

        var changes = (await EventsAsync(sandbox)).Where(e => e["subscriptionType"].Str() == "conversation.propertyChange").ToList();
        Assert.Equal(["CLOSED", "OPEN"], changes.Select(c => c["propertyValue"].Str()));
        Assert.All(changes, c => Assert.Equal("status", c["propertyName"].Str()));
    }

    [Theory]
    [InlineData("BOT", "B-42", "BOT")]
    [InlineData("LLM", "L-42", "LLM")]
    public async Task A_bot_or_ai_agent_answers_the_visitor_as_its_own_actor(string actorType, string actorId, string resolvedType)
    {
        await using var sandbox = await StartWithDemoSubscriptionsAsync();
        var created = await sandbox.CustomerStartsChatAsync();
        var threadId = created["threadId"].Str();

        var posted = await sandbox.AdminPostAsync("_sandbox/simulate/bot-message", new { threadId, actorType, botId = 42, name = "Helper", text = "Anything else?" });

        var message = await sandbox.GetJsonAsync($"conversations/v3/conversations/threads/{threadId}/messages/{posted["messageId"].Str()}", sandbox.Client);
        Assert.Equal("MESSAGE", message["type"].Str());
        Assert.Equal("OUTGOING", message["direction"].Str());
        Assert.Equal(actorId, message["senders"]![0]!["actorId"].Str());
        Assert.Equal(actorId, message["createdBy"].Str());
        Assert.Equal(message["channelId"].Str(), (await sandbox.GetJsonAsync($"conversations/v3/conversations/threads/{threadId}", sandbox.Client))["originalChannelId"].Str());
        var actor = await sandbox.GetJsonAsync($"conversations/v3/conversations/actors/{actorId}", sandbox.Client);
        Assert.Equal(resolvedType, actor["type"].Str());
        Assert.Equal("Helper", actor["name"].Str());
        Assert.Contains(await EventsAsync(sandbox), e => e["subscriptionType"].Str() == "conversation.newMessage" && e["messageId"].Str() == posted["messageId"].Str());
        // An actor that never spoke is unknown, as any made-up id is.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await sandbox.Client.GetAsync($"conversations/v3/conversations/actors/{actorId[0]}-43")).StatusCode);
    }

    [Theory]
    [InlineData("ROBOT", 1)]
    [InlineData("LLM", 0)]
    public async Task A_bot_message_needs_a_known_actor_type_and_a_positive_id(string actorType, long botId)
    {
        await using var sandbox = await StartWithDemoSubscriptionsAsync();
        var created = await sandbox.CustomerStartsChatAsync();

        var response = await sandbox.Anonymous.PostAsJsonAsync("_sandbox/simulate/bot-message", new { threadId = created["threadId"].Str(), actorType, botId, text = "Hi" });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Ticket_edit_produces_property_change_only_for_watched_properties()
    {
        await using var sandbox = await StartWithDemoSubscriptionsAsync();

        await sandbox.AdminPostAsync("_sandbox/simulate/ticket-property", new
        {
            ticketId = "401", properties = new Dictionary<string, string> { ["hs_ticket_priority"] = "URGENT", ["hs_ticket_category"] = "BILLING_ISSUE" },
        });

        var change = Assert.Single(await EventsAsync(sandbox));
        Assert.Equal("ticket.propertyChange", change["subscriptionType"].Str());
        Assert.Equal(401, change["objectId"]!.GetValue<long>());
        Assert.Equal("hs_ticket_priority", change["propertyName"].Str());
        Assert.Equal("URGENT", change["propertyValue"].Str());
    }

    [Fact]
    public async Task Message_posted_through_the_api_also_produces_a_new_message_event()
    {
        await using var sandbox = await StartWithDemoSubscriptionsAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();

        var response = await sandbox.Client.PostAsJsonAsync($"conversations/v3/conversations/threads/{threadId}/messages", new { type = "COMMENT", text = "note", attachments = Array.Empty<object>() });

        var posted = await response.Json();
        var last = (await EventsAsync(sandbox))[^1];
        Assert.Equal(posted["id"].Str(), last["messageId"].Str());
        Assert.Equal("COMMENT", last["messageType"].Str());
    }

    [Fact]
    public async Task Reset_restores_the_seeded_portal()
    {
        await using var sandbox = await StartWithDemoSubscriptionsAsync();
        await sandbox.CustomerStartsChatAsync();

        (await sandbox.Anonymous.PostAsync("_sandbox/reset", null)).EnsureSuccessStatusCode();

        Assert.Empty((await sandbox.GetJsonAsync("_sandbox/threads"))["results"]!.AsArray());
        Assert.Equal(3, (await sandbox.GetJsonAsync("_sandbox/contacts"))["results"]!.AsArray().Count);
        Assert.Equal(7, (await sandbox.GetJsonAsync("_sandbox/webhooks/subscriptions"))["results"]!.AsArray().Count);
    }
}
