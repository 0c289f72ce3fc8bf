using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Testing;
using Deskbridge.Tests.Policies;

namespace Deskbridge.Tests.Outcomes;

/// <summary>
/// I4, end to end through the sandbox: the AI's outcome lands on the ticket and the contact as properties Deskbridge creates,
/// written once per change, and a portal that will not let them be created still gets its handoff, with what to do said.
/// </summary>
public sealed class OutcomeInHubSpotTests
{
    private const string AskForHuman = "I want to talk to a real person please";
    private const string Question = "How long does standard shipping take?";

    private static readonly string[] TicketProperties =
        ["deskbridge_ai_involved", "deskbridge_ai_outcome", "deskbridge_ai_replies", "deskbridge_handoff_reason", "deskbridge_handoff_trigger"];

    private static readonly string[] DemoScopes =
    [
        "crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read", "crm.objects.deals.read",
        "crm.objects.owners.read", "tickets", "conversations.read", "conversations.write", "oauth",
    ];

    private static async Task<JsonNode> TicketAsync(ConnectedWorld world, string ticketId) =>
        (await world.CrmRecordAsync("tickets", ticketId))["properties"]!;

    private static async Task<JsonObject> RetestAsync(ConnectedWorld world)
    {
        var response = await world.Deskbridge.Http.PostAsync($"api/organizations/{world.Organization.Id}/hubspot/retest", null);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body;
    }

    private static async Task<HttpResponseMessage> PortalCallAsync(ConnectedWorld world, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", world.Sandbox.Options.DemoToken);
        return await world.SandboxHttp.SendAsync(request);
    }

    [Fact]
    public async Task Handoff_creates_the_outcome_properties_once_and_writes_the_outcome_on_the_ticket()
    {
        await using var world = await ConnectedWorld.StartAsync();
        var question = await world.CustomerWritesAsync(Question);
        await world.SettledEventsAsync(question.ThreadId, atLeast: 2);
        var human = await world.CustomerWritesAsync(AskForHuman, threadId: question.ThreadId);
        var handoff = (await world.SettledEventsAsync(question.ThreadId, atLeast: 4)).Single(e => e.MessageId == human.MessageId);

        var ticket = await TicketAsync(world, question.TicketId!);
        var created = (await world.RequestsSinceAsync(0)).Where(r => r.Method == "POST" && r.Path == "/crm/v3/properties/tickets").ToList();

        Assert.Equal("Processed", handoff.Fate);
        Assert.Contains("AI outcome on the ticket: handed_off, 1 AI reply", handoff.Reason, StringComparison.Ordinal);
        Assert.Equal("true", (string?)ticket["deskbridge_ai_involved"]);
        Assert.Equal("handed_off", (string?)ticket["deskbridge_ai_outcome"]);
        Assert.Equal("1", (string?)ticket["deskbridge_ai_replies"]);
        Assert.Equal("CustomerAskedForHuman", (string?)ticket["deskbridge_handoff_trigger"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)ticket["deskbridge_handoff_reason"]));
        Assert.Equal("true", (string?)ticket["opencx_handedoff"]);
        // The tag and the five outcome properties, each created once (when the credentials were saved), none again on handoff.
        Assert.Equal(6, created.Count);
        Assert.All(created, r => Assert.Equal(201, r.Status));
        foreach (var name in TicketProperties)
        {
            Assert.True((await PortalCallAsync(world, HttpMethod.Get, $"crm/v3/properties/tickets/{name}")).IsSuccessStatusCode, name);
        }
    }

    [Fact]
    public async Task The_AI_answering_again_after_it_resumed_updates_the_outcome_and_reply_count_and_keeps_why_it_was_handed_off()
    {
        await using var world = await ConnectedWorld.StartAsync();
        var first = await world.CustomerWritesAsync(AskForHuman);
        await world.SettledEventsAsync(first.ThreadId, atLeast: 3);
        var atHandoff = await TicketAsync(world, first.TicketId!);

        await world.AgentWritesAsync(first.ThreadId, "Hi, Hannah here. Your refund is on its way.");
        await world.AssignAsync(first.ThreadId, world.Sandbox.Options.AiUserId);
        var later = await world.CustomerWritesAsync(Question, threadId: first.ThreadId);
        var answered = (await world.SettledEventsAsync(first.ThreadId, atLeast: 6)).Single(e => e.MessageId == later.MessageId);
        var afterResume = await TicketAsync(world, first.TicketId!);

        Assert.Equal("handed_off", (string?)atHandoff["deskbridge_ai_outcome"]);
        Assert.Equal("0", (string?)atHandoff["deskbridge_ai_replies"]);
        Assert.Equal("Processed", answered.Fate);
        Assert.Contains($"AI outcome on ticket {first.TicketId}: answered, 1 AI reply", answered.Reason, StringComparison.Ordinal);
        Assert.Equal("answered", (string?)afterResume["deskbridge_ai_outcome"]);
        Assert.Equal("1", (string?)afterResume["deskbridge_ai_replies"]);
        Assert.Equal("CustomerAskedForHuman", (string?)afterResume["deskbridge_handoff_trigger"]);
        Assert.Equal((string?)atHandoff["deskbridge_handoff_reason"], (string?)afterResume["deskbridge_handoff_reason"]);
    }

    [Fact]
    public async Task A_second_answer_that_changes_no_outcome_makes_no_HubSpot_call_for_it()
    {
        await using var world = await ConnectedWorld.StartAsync();
        var first = await world.CustomerWritesAsync(Question);
        await world.SettledEventsAsync(first.ThreadId, atLeast: 2);
        var before = await world.RequestSequenceAsync();

        var second = await world.CustomerWritesAsync("And do you ship to Canada?", threadId: first.ThreadId);
        var answered = (await world.SettledEventsAsync(first.ThreadId, atLeast: 4)).Single(e => e.MessageId == second.MessageId);
        var calls = await world.RequestsSinceAsync(before);

        Assert.Equal("Processed", answered.Fate);
        Assert.DoesNotContain("AI outcome", answered.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(calls, r => r.Method == "PATCH" && (r.Path.StartsWith("/crm/v3/objects/tickets/", StringComparison.Ordinal)
            || r.Path.StartsWith("/crm/v3/objects/contacts/", StringComparison.Ordinal)));
        Assert.Equal("answered", (string?)(await TicketAsync(world, first.TicketId!))["deskbridge_ai_outcome"]);
    }

    [Fact]
    public async Task An_answer_held_as_a_draft_for_approval_marks_the_ticket_drafted_with_no_reply_counted()
    {
        await using var world = await ConnectedWorld.StartAsync();
        await world.SettingsAsync(new { assistMode = true });

        var written = await world.CustomerWritesAsync(Question);
        var drafted = (await world.SettledEventsAsync(written.ThreadId, atLeast: 3)).Single(e => e.MessageId == written.MessageId);
        var ticket = await TicketAsync(world, written.TicketId!);

        Assert.Equal("Processed", drafted.Fate);
        Assert.Contains($"AI outcome on ticket {written.TicketId}: drafted, 0 AI replies", drafted.Reason, StringComparison.Ordinal);
        Assert.Equal("drafted", (string?)ticket["deskbridge_ai_outcome"]);
        Assert.Equal("0", (string?)ticket["deskbridge_ai_replies"]);
        Assert.Null(ticket["deskbridge_handoff_reason"]);
    }

    [Fact]
    public async Task An_approved_draft_turns_the_ticket_s_outcome_into_answered_with_its_reply_counted()
    {
        await using var world = await ConnectedWorld.StartAsync();
        await world.SettingsAsync(new { assistMode = true });
        var written = await world.CustomerWritesAsync(Question);
        await world.SettledEventsAsync(written.ThreadId, atLeast: 3);

        var command = await world.HumanCommentsAsync(written.ThreadId, "/send");
        var approved = (await world.SettledEventsAsync(written.ThreadId, atLeast: 4)).Single(e => e.MessageId == command);
        var ticket = await TicketAsync(world, written.TicketId!);

        Assert.Contains($"AI outcome on ticket {written.TicketId}: answered, 1 AI reply", approved.Reason, StringComparison.Ordinal);
        Assert.Equal("answered", (string?)ticket["deskbridge_ai_outcome"]);
        Assert.Equal("1", (string?)ticket["deskbridge_ai_replies"]);
    }

    [Fact]
    public async Task Writes_the_last_outcome_and_its_time_on_the_contact_when_the_token_may_create_contact_properties()
    {
        await using var world = await ConnectedWorld.StartAsync();
        await world.ConnectAsync(await world.CreateTokenAsync([.. DemoScopes, "crm.schemas.contacts.write"]), world.Sandbox.Options.ClientSecret);
        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var question = await world.CustomerWritesAsync(Question);
        var answered = (await world.SettledEventsAsync(question.ThreadId, atLeast: 2)).Single(e => e.MessageId == question.MessageId);
        var afterAnswer = (await world.CrmRecordAsync("contacts", question.ContactId!))["properties"]!;
        var human = await world.CustomerWritesAsync(AskForHuman, threadId: question.ThreadId);
        var handoff = (await world.SettledEventsAsync(question.ThreadId, atLeast: 4)).Single(e => e.MessageId == human.MessageId);
        var afterHandoff = (await world.CrmRecordAsync("contacts", question.ContactId!))["properties"]!;

        Assert.Contains($"last AI outcome on contact {question.ContactId}: answered", answered.Reason, StringComparison.Ordinal);
        Assert.Equal("answered", (string?)afterAnswer["deskbridge_last_ai_outcome"]);
        var at = long.Parse((string)afterAnswer["deskbridge_last_ai_conversation"]!, CultureInfo.InvariantCulture);
        Assert.InRange(at, startedAt - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Contains($"last AI outcome on contact {question.ContactId}: handed_off", handoff.Reason, StringComparison.Ordinal);
        Assert.Equal("handed_off", (string?)afterHandoff["deskbridge_last_ai_outcome"]);
    }

    [Fact]
    public async Task Without_the_contacts_schema_scope_the_handoff_still_works_and_the_fate_and_retest_say_what_to_add()
    {
        // The demo token, like a Legacy App set up from our scope list, may write contacts but not create contact properties.
        await using var world = await ConnectedWorld.StartAsync();

        var written = await world.CustomerWritesAsync(AskForHuman);
        var handoff = (await world.SettledEventsAsync(written.ThreadId, atLeast: 3)).Single(e => e.MessageId == written.MessageId);
        var retest = await RetestAsync(world);
        var contact = (await world.CrmRecordAsync("contacts", written.ContactId!))["properties"]!;

        Assert.Equal("Processed", handoff.Fate);
        Assert.Contains("tagged opencx_handedoff and assigned to Deskbridge AI", handoff.Reason, StringComparison.Ordinal);
        Assert.Contains("AI outcome on the ticket: handed_off", handoff.Reason, StringComparison.Ordinal);
        Assert.Contains("the contact properties deskbridge_last_ai_outcome, deskbridge_last_ai_conversation do not exist and could not be created",
            handoff.Reason, StringComparison.Ordinal);
        Assert.Contains("crm.schemas.contacts.write", handoff.Reason, StringComparison.Ordinal);
        Assert.Null(contact["deskbridge_last_ai_outcome"]);
        var warnings = retest["warnings"]!.AsArray().Select(w => (string)w!).ToList();
        Assert.Contains(warnings, w => w.StartsWith("AI outcome: the contact properties deskbridge_last_ai_outcome", StringComparison.Ordinal)
            && w.Contains("Settings → Properties → Contact properties", StringComparison.Ordinal)
            && w.Contains("crm.schemas.contacts.write", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_portal_that_refuses_the_ticket_properties_still_gets_its_handoff_ticket_tagged_and_assigned_and_is_told_what_to_add()
    {
        await using var world = await ConnectedWorld.StartAsync();
        foreach (var name in TicketProperties)
        {
            (await PortalCallAsync(world, HttpMethod.Delete, $"crm/v3/properties/tickets/{name}")).EnsureSuccessStatusCode();
        }
        // HubSpot lets the tickets scope create ticket properties; a portal can still refuse (a user without the permission, the property limit).
        await world.AddFaultAsync(new FaultRequest("/crm/v3/properties/tickets", FaultKind.Error, Method: "POST", StatusCode: 403));

        var written = await world.CustomerWritesAsync(AskForHuman);
        var handoff = (await world.SettledEventsAsync(written.ThreadId, atLeast: 3)).Single(e => e.MessageId == written.MessageId);
        var retest = await RetestAsync(world);

        Assert.Equal("Processed", handoff.Fate);
        Assert.Contains("tagged opencx_handedoff and assigned to Deskbridge AI", handoff.Reason, StringComparison.Ordinal);
        Assert.Contains("AI outcome not (fully) written on the ticket: the ticket properties deskbridge_ai_involved, deskbridge_ai_outcome", handoff.Reason, StringComparison.Ordinal);
        Assert.Contains("Settings → Properties → Ticket properties", handoff.Reason, StringComparison.Ordinal);
        var ticket = await TicketAsync(world, written.TicketId!);
        Assert.Equal("true", (string?)ticket["opencx_handedoff"]);
        Assert.Null(ticket["deskbridge_ai_outcome"]);
        Assert.Contains(retest["warnings"]!.AsArray(), w => ((string)w!).StartsWith("AI outcome: the ticket properties deskbridge_ai_involved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_property_someone_defined_with_other_options_is_left_out_and_the_handoff_goes_on()
    {
        await using var world = await ConnectedWorld.StartAsync();
        (await PortalCallAsync(world, HttpMethod.Delete, "crm/v3/properties/tickets/deskbridge_ai_outcome")).EnsureSuccessStatusCode();
        using (var create = new HttpRequestMessage(HttpMethod.Post, "crm/v3/properties/tickets")
        {
            Content = JsonContent.Create(new
            {
                name = "deskbridge_ai_outcome", label = "AI outcome (ours)", type = "enumeration", fieldType = "select", groupName = "ticketinformation",
                options = new[] { new { label = "Good", value = "good", hidden = false }, new { label = "Bad", value = "bad", hidden = false } },
            }),
        })
        {
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", world.Sandbox.Options.DemoToken);
            (await world.SandboxHttp.SendAsync(create)).EnsureSuccessStatusCode();
        }

        var written = await world.CustomerWritesAsync(AskForHuman);
        var handoff = (await world.SettledEventsAsync(written.ThreadId, atLeast: 3)).Single(e => e.MessageId == written.MessageId);
        var ticket = await TicketAsync(world, written.TicketId!);

        Assert.Equal("Processed", handoff.Fate);
        Assert.Contains("tagged opencx_handedoff and assigned to Deskbridge AI", handoff.Reason, StringComparison.Ordinal);
        Assert.Contains("INVALID_OPTION", handoff.Reason, StringComparison.Ordinal);
        Assert.Equal("true", (string?)ticket["opencx_handedoff"]);
        Assert.Null(ticket["deskbridge_ai_outcome"]);
    }
}
