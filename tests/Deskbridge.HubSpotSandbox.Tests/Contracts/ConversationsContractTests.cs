using System.Net;
using System.Net.Http.Json;
using System.Text;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests.Contracts;

/// <summary>Conversations v3 threads, assignee and messages, checked against the spec's schemas and HubSpot's error body.</summary>
public sealed class ConversationsContractTests
{
    private const string Threads = "conversations/v3/conversations/threads";

    [Fact]
    public async Task Thread_list_and_get_answer_the_spec_shapes_with_forward_paging()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.CustomerStartsChatAsync("one@example.com");
        var threadId = (await sandbox.CustomerStartsChatAsync("two@example.com"))["threadId"].Str();

        var page = await sandbox.GetJsonAsync($"{Threads}?limit=1", sandbox.Client);
        var thread = await sandbox.GetJsonAsync($"{Threads}/{threadId}?association=TICKET", sandbox.Client);

        ConversationShapes.Thread(Assert.Single(Expect.Results(page, "threads")));
        Assert.Null(page["total"]); // CollectionResponsePublicThreadForwardPaging has no total
        Expect.Paging(page, "threads");
        Assert.NotNull(page["paging"]?["next"]?["after"]);
        ConversationShapes.Thread(thread);
        Expect.Fields(thread["threadAssociations"], "threadAssociations", ("associatedTicketId", Json.Text));
    }

    [Theory]
    [InlineData("threadStatus=PENDING", "threadStatus")]
    [InlineData("sort=createdAt", "sort")]
    [InlineData("association=CONTACT", "association")]
    [InlineData("limit=501", "limit")]
    public async Task Thread_list_refuses_parameters_outside_the_spec(string query, string parameter)
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.GetAsync($"{Threads}?{query}");

        var body = await Expect.ErrorAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(parameter, (string?)body["errors"]![0]!["in"]);
    }

    [Fact]
    public async Task Thread_limit_that_is_not_a_number_gets_hubspots_error_body()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.GetAsync($"{Threads}?limit=ten");

        await Expect.ErrorAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Thread_patch_takes_the_status_enum_and_answers_the_thread()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();

        var closed = await sandbox.Client.PatchAsync($"{Threads}/{threadId}", HttpJson.Body(new { status = "CLOSED" }));
        var unknown = await sandbox.Client.PatchAsync($"{Threads}/{threadId}", HttpJson.Body(new { status = "SNOOZED" }));
        var notBoolean = await sandbox.Client.PatchAsync($"{Threads}/{threadId}", HttpJson.Body(new { archived = "false" }));

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var thread = await closed.Json();
        ConversationShapes.Thread(thread);
        Assert.Equal("CLOSED", thread["status"].Str());
        Expect.Is(thread["closedAt"], Json.DateTime, "closedAt");
        await Expect.InvalidAsync(unknown, "status", "INVALID_ENUM");
        await Expect.InvalidAsync(notBoolean, "archived", "INVALID_TYPE");
    }

    [Fact]
    public async Task Assignee_put_needs_an_actor_id_string_and_answers_the_thread()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();

        var assigned = await sandbox.Client.PutAsJsonAsync($"{Threads}/{threadId}/assignee", new { actorId = $"A-{sandbox.Options.AiUserId}" });
        var missing = await sandbox.Client.PutAsJsonAsync($"{Threads}/{threadId}/assignee", new { });
        var number = await sandbox.Client.PutAsJsonAsync($"{Threads}/{threadId}/assignee", new { actorId = sandbox.Options.AiUserId });
        var empty = await sandbox.Client.PutAsync($"{Threads}/{threadId}/assignee", new StringContent("", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        var thread = await assigned.Json();
        ConversationShapes.Thread(thread);
        Assert.Equal($"A-{sandbox.Options.AiUserId}", thread["assignedTo"].Str());
        await Expect.InvalidAsync(missing, "actorId", "REQUIRED");
        await Expect.InvalidAsync(number, "actorId", "INVALID_TYPE");
        await Expect.InvalidAsync(empty, "body", "REQUIRED");
    }

    [Fact]
    public async Task Message_list_is_newest_first_by_default_and_every_kind_has_its_spec_fields()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var started = await sandbox.CustomerStartsChatAsync();
        var threadId = started["threadId"].Str();
        await sandbox.AdminPostAsync("_sandbox/simulate/agent-message", new { threadId, type = "COMMENT", text = "internal note" });
        await sandbox.AdminPostAsync("_sandbox/simulate/assign", new { threadId, userId = sandbox.Options.HumanUserId });
        await sandbox.AdminPostAsync("_sandbox/simulate/thread-status", new { threadId, status = "CLOSED" });
        var last = await sandbox.AdminPostAsync("_sandbox/simulate/customer-message", new { threadId, text = "one more thing" });

        var byDefault = Expect.Results(await sandbox.GetJsonAsync($"{Threads}/{threadId}/messages", sandbox.Client), "messages");
        var oldestFirst = Expect.Results(await sandbox.GetJsonAsync($"{Threads}/{threadId}/messages?sort=createdAt", sandbox.Client), "messages");
        var newestFirst = Expect.Results(await sandbox.GetJsonAsync($"{Threads}/{threadId}/messages?sort=-createdAt", sandbox.Client), "messages");

        // The customer's reply reopened the thread, so a THREAD_STATUS_CHANGE is newer still; the newest MESSAGE is the reply.
        Assert.Equal("THREAD_STATUS_CHANGE", byDefault[0]!["type"].Str());
        Assert.Equal(last["messageId"].Str(), byDefault.First(m => m!["type"].Str() == "MESSAGE")!["id"].Str());
        Assert.Equal(started["messageId"].Str(), oldestFirst[0]!["id"].Str());
        Assert.Equal(byDefault.Select(m => m!["id"].Str()), newestFirst.Select(m => m!["id"].Str()));
        Assert.Equal(byDefault.Select(m => m!["id"].Str()).Reverse(), oldestFirst.Select(m => m!["id"].Str()));
        Assert.Superset(new HashSet<string> { "MESSAGE", "COMMENT", "ASSIGNMENT", "THREAD_STATUS_CHANGE" }, byDefault.Select(m => m!["type"].Str()).ToHashSet());
        foreach (var message in byDefault)
        {
            ConversationShapes.Message(message);
        }
    }

    [Fact]
    public async Task Message_list_refuses_a_sort_outside_createdAt()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var threadId = (await sandbox.CustomerStartsChatAsync())["threadId"].Str();

        var response = await sandbox.Client.GetAsync($"{Threads}/{threadId}/messages?sort=id");

        await Expect.InvalidAsync(response, "sort", "INVALID_ENUM");
    }

    [Fact]
    public async Task Message_get_answers_a_spec_message()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var started = await sandbox.AdminPostAsync("_sandbox/simulate/customer-message", new { channel = "email", email = "mail@example.com", name = "Mail", subject = "Hello", text = "Hi" });

        var message = await sandbox.GetJsonAsync($"{Threads}/{started["threadId"].Str()}/messages/{started["messageId"].Str()}", sandbox.Client);

        ConversationShapes.Message(message);
        Assert.Equal("INCOMING", message["direction"].Str());
        Assert.Equal("HS_EMAIL_ADDRESS", message["senders"]![0]!["deliveryIdentifier"]!["type"].Str());
    }

    [Fact]
    public async Task Message_post_with_every_required_field_answers_201_and_a_spec_message()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var started = await sandbox.CustomerStartsChatAsync();
        var threadId = started["threadId"].Str();

        var message = await sandbox.Client.PostAsJsonAsync($"{Threads}/{threadId}/messages", ChatMessage(sandbox, started["contactId"].Str()));
        var comment = await sandbox.Client.PostAsJsonAsync($"{Threads}/{threadId}/messages", new { type = "COMMENT", text = "note", attachments = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.Created, message.StatusCode);
        Assert.NotNull(message.Headers.Location);
        var posted = await message.Json();
        ConversationShapes.Message(posted);
        Assert.Equal("OUTGOING", posted["direction"].Str());
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        var note = await comment.Json();
        ConversationShapes.Message(note);
        Assert.Equal("<div>note</div>", note["richText"].Str());
    }

    [Theory]
    [InlineData("attachments")]
    [InlineData("channelAccountId")]
    [InlineData("channelId")]
    [InlineData("recipients")]
    [InlineData("senderActorId")]
    [InlineData("text")]
    public async Task Message_post_without_a_required_field_names_it(string field)
    {
        await using var sandbox = await Sandbox.StartAsync();
        var started = await sandbox.CustomerStartsChatAsync();
        var body = ChatMessage(sandbox, started["contactId"].Str());
        body.Remove(field);

        var response = await sandbox.Client.PostAsJsonAsync($"{Threads}/{started["threadId"].Str()}/messages", body);

        await Expect.InvalidAsync(response, field, "REQUIRED");
    }

    [Fact]
    public async Task Message_post_checks_json_types_and_enums_down_to_delivery_identifiers()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var started = await sandbox.CustomerStartsChatAsync();
        var url = $"{Threads}/{started["threadId"].Str()}/messages";
        var numberText = ChatMessage(sandbox, started["contactId"].Str());
        numberText["text"] = 42;
        var unknownType = ChatMessage(sandbox, started["contactId"].Str());
        unknownType["type"] = "WELCOME_MESSAGE";
        var unknownIdentifier = ChatMessage(sandbox, started["contactId"].Str());
        unknownIdentifier["recipients"] = new[] { new { deliveryIdentifiers = new[] { new { type = "PIGEON", value = "coo" } } } };
        var recipientWithout = ChatMessage(sandbox, started["contactId"].Str());
        recipientWithout["recipients"] = new[] { new { actorId = "V-1" } };
        var badAttachment = ChatMessage(sandbox, started["contactId"].Str());
        badAttachment["attachments"] = new[] { new { type = "FILE" } };

        await Expect.InvalidAsync(await sandbox.Client.PostAsJsonAsync(url, numberText), "text", "INVALID_TYPE");
        await Expect.InvalidAsync(await sandbox.Client.PostAsJsonAsync(url, unknownType), "type", "INVALID_ENUM");
        await Expect.InvalidAsync(await sandbox.Client.PostAsJsonAsync(url, unknownIdentifier), "recipients[0].deliveryIdentifiers[0].type", "INVALID_ENUM");
        await Expect.InvalidAsync(await sandbox.Client.PostAsJsonAsync(url, recipientWithout), "recipients[0].deliveryIdentifiers", "REQUIRED");
        await Expect.InvalidAsync(await sandbox.Client.PostAsJsonAsync(url, badAttachment), "attachments[0].fileId", "REQUIRED");
    }

    [Fact]
    public async Task Comment_post_needs_attachments_text_and_type()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var url = $"{Threads}/{(await sandbox.CustomerStartsChatAsync())["threadId"].Str()}/messages";

        await Expect.InvalidAsync(await sandbox.Client.PostAsJsonAsync(url, new { type = "COMMENT", text = "x" }), "attachments", "REQUIRED");
        await Expect.InvalidAsync(await sandbox.Client.PostAsJsonAsync(url, new { type = "COMMENT", attachments = Array.Empty<object>() }), "text", "REQUIRED");
        await Expect.InvalidAsync(await sandbox.Client.PostAsJsonAsync(url, new { text = "x", attachments = Array.Empty<object>() }), "type", "REQUIRED");
    }

    [Fact]
    public async Task Malformed_json_gets_hubspots_error_body_not_an_empty_400()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var url = $"{Threads}/{(await sandbox.CustomerStartsChatAsync())["threadId"].Str()}/messages";

        var response = await sandbox.Client.PostAsync(url, new StringContent("{\"type\":\"COMMENT\",", Encoding.UTF8, "application/json"));

        var body = await Expect.InvalidAsync(response, "body", "INVALID_JSON");
        Assert.StartsWith("Invalid input JSON on line 1", body["message"].Str());
    }

    private static Dictionary<string, object> ChatMessage(Sandbox sandbox, string contactId) => new()
    {
        ["type"] = "MESSAGE",
        ["text"] = "Your parcel ships today",
        ["richText"] = "<p>Your parcel ships today</p>",
        ["senderActorId"] = $"A-{sandbox.Options.AiUserId}",
        ["channelId"] = "1000",
        ["channelAccountId"] = "5001",
        ["recipients"] = new[] { new { actorId = $"V-{contactId}", recipientField = "TO", deliveryIdentifiers = new[] { new { type = "CHANNEL_SPECIFIC_OPAQUE_ID", value = $"visitor-{contactId}" } } } },
        ["attachments"] = Array.Empty<object>(),
    };
}
