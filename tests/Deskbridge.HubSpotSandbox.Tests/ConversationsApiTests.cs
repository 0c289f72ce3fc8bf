using System.Net;
using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

public sealed class ConversationsApiTests
{
    private const string Threads = "conversations/v3/conversations/threads";

    [Fact]
    public async Task New_chat_thread_has_hubspot_fields_and_ticket_association()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var created = await sandbox.CustomerStartsChatAsync();
        var threadId = created["threadId"].Str();

        var thread = await sandbox.GetJsonAsync($"{Threads}/{threadId}?association=TICKET", sandbox.Client);

        Assert.Equal(threadId, thread["id"].Str());
        Assert.Equal("OPEN", thread["status"].Str());
        Assert.Equal("1000", thread["originalChannelId"].Str());
        Assert.Equal("5001", thread["originalChannelAccountId"].Str());
        Assert.Equal("1001", thread["inboxId"].Str());
        Assert.Equal(created["contactId"].Str(), thread["associatedContactId"].Str());
        Assert.False(thread["archived"]!.GetValue<bool>());
        Assert.False(thread["spam"]!.GetValue<bool>());
        Assert.EndsWith("Z", thread["createdAt"].Str(), StringComparison.Ordinal);
        Assert.Equal(created["ticketId"].Str(), thread["threadAssociations"]!["associatedTicketId"].Str());

        var plain = await sandbox.GetJsonAsync($"{Threads}/{threadId}", sandbox.Client);
        Assert.Null(plain["threadAssociations"]);
    }

    [Fact]
    public async Task Customer_chat_message_is_incoming_from_the_visitor()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var created = await sandbox.CustomerStartsChatAsync(text: "Where is my parcel?");

        var message = await sandbox.GetJsonAsync($"{Threads}/{created["threadId"].Str()}/messages/{created["messageId"].Str()}", sandbox.Client);

        Assert.Equal("MESSAGE", message["type"].Str());
        Assert.Equal("INCOMING", message["direction"].Str());
        Assert.Equal("RECEIVED", message["status"]!["statusType"].Str());
        Assert.Equal("V-" + created["contactId"].Str(), message["senders"]![0]!["actorId"].Str());
        Assert.Equal("V-" + created["contactId"].Str(), message["createdBy"].Str());
        Assert.Equal("Where is my parcel?", message["text"].Str());
        Assert.Equal("1000", message["channelId"].Str());
        Assert.Equal("5001", message["channelAccountId"].Str());
        Assert.Equal("NOT_TRUNCATED", message["truncationStatus"].Str());
        Assert.Equal(created["threadId"].Str(), message["conversationsThreadId"].Str());
        Assert.NotNull(message["client"]!["clientType"]);
    }

    [Fact]
    public async Task Agent_message_posted_via_api_is_outgoing_and_keeps_rich_text_byte_for_byte()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var created = await sandbox.CustomerStartsChatAsync();
        var threadId = created["threadId"].Str();
        const string richText = "<p>Your parcel ships today 📦</p><!-- OpenCX-AI-Response -->";

        var response = await sandbox.Client.PostAsJsonAsync($"{Threads}/{threadId}/messages", new
        {
            type = "MESSAGE", text = "Your parcel ships today 📦", richText,
            senderActorId = $"A-{sandbox.Options.AiUserId}", channelId = "1000", channelAccountId = "5001",
            recipients = Array.Empty<object>(), attachments = Array.Empty<object>(),
        });

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var posted = await response.Json();
        Assert.Equal("OUTGOING", posted["direction"].Str());
        Assert.Equal("SENT", posted["status"]!["statusType"].Str());
        Assert.Equal($"A-{sandbox.Options.AiUserId}", posted["senders"]![0]!["actorId"].Str());
        var fetched = await sandbox.GetJsonAsync($"{Threads}/{threadId}/messages/{posted["id"].Str()}", sandbox.Client);
        Assert.Equal(richText, fetched["richText"].Str());
    }

    [Fact]
    public async Task Message_from_an_unknown_sender_actor_returns_400()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();

        var response = await sandbox.Client.PostAsJsonAsync($"{Threads}/{threadId}/messages", new
        {
            type = "MESSAGE", text = "hi", senderActorId = "A-999", channelId = "1000", channelAccountId = "5001",
            recipients = Array.Empty<object>(), attachments = Array.Empty<object>(),
        });
        var plainNumber = await sandbox.Client.PostAsJsonAsync($"{Threads}/{threadId}/messages", new
        {
            type = "MESSAGE", text = "hi", senderActorId = sandbox.Options.AiUserId.ToString(System.Globalization.CultureInfo.InvariantCulture), channelId = "1000", channelAccountId = "5001",
            recipients = Array.Empty<object>(), attachments = Array.Empty<object>(),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("VALIDATION_ERROR", (await response.Json())["category"].Str());
        Assert.Equal(HttpStatusCode.BadRequest, plainNumber.StatusCode);
    }

    [Fact]
    public async Task Message_on_another_channel_account_returns_400()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();

        var response = await sandbox.Client.PostAsJsonAsync($"{Threads}/{threadId}/messages", new
        {
            type = "MESSAGE", text = "hi", senderActorId = $"A-{sandbox.Options.AiUserId}", channelId = "1002", channelAccountId = "5002",
            recipients = Array.Empty<object>(), attachments = Array.Empty<object>(),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Email_reply_needs_recipients_with_delivery_identifiers_and_keeps_the_subject()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var created = await sandbox.AdminPostAsync("_sandbox/simulate/customer-message", new
        {
            channel = "email", email = "mail.customer@example.com", name = "Mail Customer", subject = "Broken kettle", text = "It leaks.",
        });
        var threadId = created["threadId"].Str();
        var url = $"{Threads}/{threadId}/messages";

        var withoutRecipients = await sandbox.Client.PostAsJsonAsync(url, new
        {
            type = "MESSAGE", text = "Sorry!", senderActorId = $"A-{sandbox.Options.AiUserId}", channelId = "1002", channelAccountId = "5002",
            recipients = Array.Empty<object>(), attachments = Array.Empty<object>(),
        });
        var reply = await sandbox.Client.PostAsJsonAsync(url, new
        {
            type = "MESSAGE", text = "Sorry!", richText = "<p>Sorry!</p>", subject = "Re: Broken kettle",
            senderActorId = $"A-{sandbox.Options.AiUserId}", channelId = "1002", channelAccountId = "5002", attachments = Array.Empty<object>(),
            recipients = new[]
            {
                new { actorId = "V-" + created["contactId"].Str(), recipientField = "TO", deliveryIdentifiers = new[] { new { type = "HS_EMAIL_ADDRESS", value = "mail.customer@example.com" } } },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, withoutRecipients.StatusCode);
        Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
        var message = await reply.Json();
        Assert.Equal("Re: Broken kettle", message["subject"].Str());
        Assert.Equal("mail.customer@example.com", message["recipients"]![0]!["deliveryIdentifier"]!["value"].Str());
        Assert.Equal("support@demo-shop.example", message["senders"]![0]!["deliveryIdentifier"]!["value"].Str());
        Assert.Equal(created["messageId"].Str(), message["inReplyToId"].Str());
    }

    [Fact]
    public async Task Comment_needs_text_and_attachments()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();

        var response = await sandbox.Client.PostAsJsonAsync($"{Threads}/{threadId}/messages", new { type = "COMMENT", text = "🔄 AI decided to handoff", richText = "<p>🔄 AI decided to handoff</p>", attachments = Array.Empty<object>() });

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var comment = await response.Json();
        Assert.Equal("COMMENT", comment["type"].Str());
        Assert.Null(comment["direction"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await sandbox.Client.PostAsJsonAsync($"{Threads}/{threadId}/messages", new { type = "COMMENT", attachments = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await sandbox.Client.PostAsJsonAsync($"{Threads}/{threadId}/messages", new { type = "COMMENT", text = "no attachments" })).StatusCode);
    }

    [Fact]
    public async Task Messages_are_paged_with_after_and_link()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();
        for (var i = 0; i < 2; i++)
        {
            await sandbox.AdminPostAsync("_sandbox/simulate/customer-message", new { threadId, text = $"more {i}" });
        }

        var first = await sandbox.GetJsonAsync($"{Threads}/{threadId}/messages?limit=2", sandbox.Client);
        var after = first["paging"]!["next"]!["after"].Str();
        var second = await sandbox.GetJsonAsync($"{Threads}/{threadId}/messages?limit=2&after={after}", sandbox.Client);

        Assert.Equal(2, first["results"]!.AsArray().Count);
        Assert.Contains("after=" + after, first["paging"]!["next"]!["link"].Str(), StringComparison.Ordinal);
        Assert.Single(second["results"]!.AsArray());
        Assert.Null(second["paging"]);
    }

    [Fact]
    public async Task Thread_status_can_be_closed_and_other_fields_are_rejected()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();

        var closed = await sandbox.Client.PatchAsync($"{Threads}/{threadId}", HttpJson.Body(new { status = "CLOSED" }));
        var invalid = await sandbox.Client.PatchAsync($"{Threads}/{threadId}", HttpJson.Body(new { assignedTo = "A-1" }));

        closed.EnsureSuccessStatusCode();
        var thread = await closed.Json();
        Assert.Equal("CLOSED", thread["status"].Str());
        Assert.NotNull(thread["closedAt"]);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task Assignee_put_assigns_and_delete_unassigns()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();

        var assigned = await sandbox.Client.PutAsJsonAsync($"{Threads}/{threadId}/assignee", new { actorId = $"A-{sandbox.Options.HumanUserId}" });
        Assert.Equal($"A-{sandbox.Options.HumanUserId}", (await assigned.Json())["assignedTo"].Str());

        var unassigned = await sandbox.Client.DeleteAsync($"{Threads}/{threadId}/assignee");
        Assert.Equal(HttpStatusCode.NoContent, unassigned.StatusCode);
        Assert.Null((await sandbox.GetJsonAsync($"{Threads}/{threadId}", sandbox.Client))["assignedTo"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await sandbox.Client.PutAsJsonAsync($"{Threads}/{threadId}/assignee", new { actorId = "A-1" })).StatusCode);
    }

    [Fact]
    public async Task Actors_resolve_agents_and_visitors()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var agent = await sandbox.GetJsonAsync($"conversations/v3/conversations/actors/A-{sandbox.Options.AiUserId}", sandbox.Client);
        var batch = await (await sandbox.Client.PostAsJsonAsync("conversations/v3/conversations/actors/batch/read", new { inputs = new[] { "V-101", $"A-{sandbox.Options.HumanUserId}" } })).Json();

        Assert.Equal("AGENT", agent["type"].Str());
        Assert.Equal("Deskbridge AI", agent["name"].Str());
        Assert.Equal(2, batch["results"]!.AsArray().Count);
        Assert.Equal("VISITOR", batch["results"]![0]!["type"].Str());
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Client.GetAsync("conversations/v3/conversations/actors/A-1")).StatusCode);
    }

    [Fact]
    public async Task Unknown_thread_returns_404_with_hubspot_error_body()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.GetAsync($"{Threads}/123");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("error", body["status"].Str());
        Assert.Equal("OBJECT_NOT_FOUND", body["category"].Str());
    }

    [Fact]
    public async Task Threads_can_be_filtered_by_contact_and_status()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var a = await sandbox.CustomerStartsChatAsync("a@example.com");
        await sandbox.CustomerStartsChatAsync("b@example.com");

        var byContact = await sandbox.GetJsonAsync($"{Threads}?associatedContactId={a["contactId"].Str()}", sandbox.Client);
        var closed = await sandbox.GetJsonAsync($"{Threads}?threadStatus=CLOSED", sandbox.Client);

        Assert.Equal(a["threadId"].Str(), Assert.Single(byContact["results"]!.AsArray())!["id"].Str());
        Assert.Empty(closed["results"]!.AsArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await sandbox.Client.GetAsync($"{Threads}?sort=latestMessageTimestamp")).StatusCode);
    }
}
