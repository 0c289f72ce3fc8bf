using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.WorkflowActions;

/// <summary>U3 end to end: the sandbox runs each action as a HubSpot workflow would, against a live thread.</summary>
public sealed class WorkflowActionTests(WorkflowWorld fixture) : IClassFixture<WorkflowWorld>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public async Task Definitions_are_registered_with_the_specs_shape_and_a_second_sync_changes_nothing()
    {
        Assert.Equal(["create-ticket", "pause-ai", "request-handoff", "resume-ai", "send-to-ai"], fixture.Definitions.Keys.Order());
        Assert.All(fixture.FirstSync["definitions"]!.AsArray(), d => Assert.Contains((string)d!["change"]!, new[] { "created", "unchanged" }));

        var again = await World.Deskbridge.Http.PostAsync("api/workflow-actions/sync", null);
        var second = await again.Content.ReadFromJsonAsync<JsonObject>();
        Assert.All(second!["definitions"]!.AsArray(), d => Assert.Equal("unchanged", (string)d!["change"]!));

        var stored = JsonNode.Parse(await World.SandboxHttp.GetStringAsync(
            $"automation/v4/actions/{World.Sandbox.Options.AppId}?hapikey={World.Sandbox.Options.DeveloperApiKey}"))!["results"]!.AsArray();
        Assert.Equal(5, stored.Count);
        var handoff = stored.Single(d => (string)d!["id"]! == fixture.Definitions["request-handoff"])!;
        Assert.Equal("Request handoff", (string)handoff["labels"]!["en"]!["actionName"]!);
        Assert.Equal(fixture.ActionUrl("request-handoff").ToString(), (string)handoff["actionUrl"]!);
        Assert.True(handoff["published"]!.GetValue<bool>());
        Assert.Equal(["TICKET", "CONTACT"], handoff["objectTypes"]!.AsArray().Select(t => (string)t!));
        var reason = handoff["inputFields"]!.AsArray().Single(f => (string)f!["typeDefinition"]!["name"]! == "reason")!;
        Assert.True(reason["isRequired"]!.GetValue<bool>());
        Assert.Equal(["active", "paused", "handed_off"], handoff["outputFields"]!.AsArray()
            .Single(f => (string)f!["typeDefinition"]!["name"]! == "ai_state")!["typeDefinition"]!["options"]!.AsArray().Select(o => (string)o!["value"]!));
    }

    [Fact]
    public async Task Operator_key_is_needed_to_sync_definitions()
    {
        using var anonymous = new HttpClient { BaseAddress = World.Deskbridge.BaseAddress };

        var response = await anonymous.PostAsync("api/workflow-actions/sync", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Pause_AI_leaves_the_next_customer_message_unanswered_and_Resume_AI_answers_again()
    {
        var written = await World.CustomerWritesAsync("How long does shipping take?");
        await fixture.AiRepliesReachAsync(written.ThreadId, 1);

        var paused = await fixture.RunAsync("pause-ai", "TICKET", written.TicketId!);
        Assert.True(paused.State == "SUCCESS", System.Text.Json.JsonSerializer.Serialize(paused.Attempts));
        Assert.Equal("paused", paused.OutputFields!["ai_state"]);
        Assert.Equal("paused", paused.OutputFields["result"]);

        await World.CustomerWritesAsync("Do you ship to Canada?", threadId: written.ThreadId);
        var skipped = await Eventually.UntilAsync(() => World.Deskbridge.EventsAsync(World.Organization.Id, $"&threadId={written.ThreadId}"),
            events => events.Any(e => e.Reason?.StartsWith("Paused by workflow", StringComparison.Ordinal) == true), what: "the paused message's fate");
        Assert.Equal("Skipped", skipped.First(e => e.Reason!.StartsWith("Paused by workflow", StringComparison.Ordinal)).Fate);
        Assert.Equal(1, await fixture.AiRepliesAsync(written.ThreadId));

        var resumed = await fixture.RunAsync("resume-ai", "TICKET", written.TicketId!);
        Assert.Equal("resumed", resumed.OutputFields!["result"]);
        Assert.Equal("active", resumed.OutputFields["ai_state"]);
        await World.CustomerWritesAsync("How long does shipping take to Canada?", threadId: written.ThreadId);
        await fixture.AiRepliesReachAsync(written.ThreadId, 2);

        var recorded = Assert.Single(await fixture.ExecutionEventsAsync(paused.CallbackId));
        Assert.Equal("workflow.pause-ai", recorded.SubscriptionType);
        Assert.Equal("Processed", recorded.Fate);
        Assert.Equal(written.ThreadId, recorded.ThreadId);
        Assert.NotNull(recorded.SessionId);
    }

    [Fact]
    public async Task Send_to_AI_takes_a_handed_off_thread_back_and_the_AI_answers_again()
    {
        var written = await World.CustomerWritesAsync("Can I talk to a human agent?");
        await Eventually.UntilAsync(() => World.MessagesAsync(written.ThreadId),
            messages => messages.Any(m => ((string?)m["text"])?.Contains("AI decided to handoff", StringComparison.Ordinal) == true), what: "the handoff note");
        await World.CustomerWritesAsync("How long does shipping take?", threadId: written.ThreadId);
        await Eventually.UntilAsync(() => World.Deskbridge.EventsAsync(World.Organization.Id, $"&threadId={written.ThreadId}"),
            events => events.Any(e => e.Reason?.StartsWith("Handed off to a human", StringComparison.Ordinal) == true), what: "the handed-off message's fate");
        Assert.Equal(0, await fixture.AiRepliesAsync(written.ThreadId));

        var sent = await fixture.RunAsync("send-to-ai", "CONTACT", written.ContactId!, new() { ["thread_id"] = written.ThreadId });

        Assert.Equal("SUCCESS", sent.State);
        Assert.Equal("taken_back_from_human", sent.OutputFields!["result"]);
        Assert.Equal("active", sent.OutputFields["ai_state"]);
        Assert.Equal(World.AiActor, (string?)(await World.SandboxAdmin.ThreadAsync(written.ThreadId))["thread"]!["assignedTo"]);
        await World.CustomerWritesAsync("And how long does shipping take to Canada?", threadId: written.ThreadId);
        await fixture.AiRepliesReachAsync(written.ThreadId, 1);
    }

    [Fact]
    public async Task Request_handoff_posts_the_note_with_the_workflows_reason_and_tags_the_ticket()
    {
        var written = await World.CustomerWritesAsync("How long does shipping take?");
        await fixture.AiRepliesReachAsync(written.ThreadId, 1);

        var handedOff = await fixture.RunAsync("request-handoff", "TICKET", written.TicketId!, new() { ["reason"] = "VIP customer, renewal at risk" });

        Assert.Equal("SUCCESS", handedOff.State);
        Assert.Equal("handed_off", handedOff.OutputFields!["ai_state"]);
        Assert.Equal(written.TicketId, handedOff.OutputFields["ticket_id"]);
        var note = (await World.MessagesAsync(written.ThreadId)).Single(m => ((string?)m["text"])?.Contains("AI decided to handoff", StringComparison.Ordinal) == true);
        Assert.Equal("COMMENT", (string?)note["type"]);
        Assert.Contains("VIP customer, renewal at risk", (string?)note["text"], StringComparison.Ordinal);
        var ticket = await World.CrmRecordAsync("tickets", written.TicketId!);
        Assert.Equal("true", (string?)ticket["properties"]!["opencx_handedoff"]);

        await World.CustomerWritesAsync("Hello?", threadId: written.ThreadId);
        await Eventually.UntilAsync(() => World.Deskbridge.EventsAsync(World.Organization.Id, $"&threadId={written.ThreadId}"),
            events => events.Any(e => e.Reason?.StartsWith("Handed off to a human", StringComparison.Ordinal) == true), what: "the next message left to the human");
        Assert.Equal(1, await fixture.AiRepliesAsync(written.ThreadId));
    }

    [Fact]
    public async Task Create_ticket_from_session_creates_one_for_a_thread_HubSpot_gave_none_and_links_it_the_next_time()
    {
        var written = await World.CustomerWritesWithoutTicketAsync($"noticket-{Guid.NewGuid():N}@example.com", "How long does shipping take?");
        await fixture.AiRepliesReachAsync(written.ThreadId, 1);

        var created = await fixture.RunAsync("create-ticket", "CONTACT", written.ContactId!, new() { ["thread_id"] = written.ThreadId });
        var linked = await fixture.RunAsync("create-ticket", "CONTACT", written.ContactId!, new() { ["thread_id"] = written.ThreadId });

        Assert.Equal("ticket_created", created.OutputFields!["result"]);
        Assert.Equal("active", created.OutputFields["ai_state"]);
        var ticketId = created.OutputFields["ticket_id"];
        Assert.Equal("ticket_linked", linked.OutputFields!["result"]);
        Assert.Equal(ticketId, linked.OutputFields["ticket_id"]);
        var ticket = await World.CrmRecordAsync("tickets", ticketId);
        Assert.Contains("How long does shipping take?", (string?)ticket["properties"]!["content"], StringComparison.Ordinal);
        Assert.Contains(written.ContactId, ticket["associations"]!["contacts"]!.AsArray().Select(a => (string?)a!["id"]));
        Assert.Single(await World.CrmRecordsAsync("tickets"), t => (string?)t["id"] == ticketId);
    }

    [Fact]
    public async Task Repeated_execution_is_answered_with_the_first_outcome_and_acts_once()
    {
        var written = await World.CustomerWritesAsync("How long does shipping take?");
        await fixture.AiRepliesReachAsync(written.ThreadId, 1);

        var first = await fixture.RunAsync("request-handoff", "TICKET", written.TicketId!, new() { ["reason"] = "Asked twice" });
        var repeated = await fixture.Actions.RedeliverAsync(first.CallbackId);

        Assert.Equal(first.OutputFields, repeated.OutputFields);
        Assert.Equal(first.Attempts[0].ResponseBody, repeated.Attempts[1].ResponseBody);
        Assert.Single(await World.MessagesAsync(written.ThreadId), m => ((string?)m["text"])?.Contains("AI decided to handoff", StringComparison.Ordinal) == true);
        var events = await fixture.ExecutionEventsAsync(first.CallbackId);
        Assert.Equal(["Duplicate", "Processed"], events.Select(e => e.Fate).Order());
    }

    [Fact]
    public async Task Execution_with_a_wrong_or_stale_signature_is_refused_and_nothing_is_recorded()
    {
        var portal = World.Sandbox.Options.PortalId;
        var body = WorkflowWorld.Body("ap-bad-signature", portal, "TICKET", 401);

        var wrong = await World.Deskbridge.Http.SendAsync(fixture.SignedRequest("pause-ai", body, secret: "not-the-app-secret"));
        var stale = await World.Deskbridge.Http.SendAsync(fixture.SignedRequest("pause-ai", body, at: DateTimeOffset.UtcNow.AddMinutes(-6)));
        using var unsigned = new HttpRequestMessage(HttpMethod.Post, fixture.ActionUrl("pause-ai")) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        var none = await World.Deskbridge.Http.SendAsync(unsigned);

        Assert.All(new[] { wrong, stale, none }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Contains("timestamp", (await stale.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.ToString(), StringComparison.Ordinal);
        Assert.Empty(await fixture.ExecutionEventsAsync("ap-bad-signature"));
    }

    [Fact]
    public async Task Execution_for_a_portal_no_organization_is_connected_to_is_refused()
    {
        var other = await World.SandboxAdmin.CreatePortalAsync(new());
        var inOther = World.SandboxAdmin.ForPortal(other.PortalId);
        var written = await inOther.CustomerWritesAsync(new HubSpotSandbox.Simulation.CustomerMessageRequest("chat", null, "elsewhere@example.com", "Eve", "Hi",
            RichText: null, Subject: null, AssigneeUserId: null, Unassigned: null));

        var execution = await new HubSpotSandbox.WorkflowActions.WorkflowActionsAdminClient(inOther).RunAsync(
            new(fixture.Definitions["pause-ai"], World.Sandbox.Options.AppId, "TICKET", written.TicketId, []));

        Assert.Equal("FAILED", execution.State);
        Assert.Equal(404, execution.Attempts.Single().StatusCode);
        Assert.Contains($"portal {other.PortalId}", execution.Attempts.Single().ResponseBody, StringComparison.Ordinal);
        Assert.Empty(await fixture.ExecutionEventsAsync(execution.CallbackId));
    }

    [Fact]
    public async Task Bad_input_fails_in_HubSpots_shape_with_a_reason_and_is_recorded_rejected()
    {
        var written = await World.CustomerWritesAsync("How long does shipping take?");
        await fixture.AiRepliesReachAsync(written.ThreadId, 1);
        var portal = World.Sandbox.Options.PortalId;
        var ticket = long.Parse(written.TicketId!, System.Globalization.CultureInfo.InvariantCulture);

        var noReason = await World.Deskbridge.Http.SendAsync(fixture.SignedRequest("request-handoff", WorkflowWorld.Body("ap-no-reason", portal, "TICKET", ticket)));
        var deal = await World.Deskbridge.Http.SendAsync(fixture.SignedRequest("pause-ai", WorkflowWorld.Body("ap-deal", portal, "DEAL", 301)));
        var notJson = await World.Deskbridge.Http.SendAsync(fixture.SignedRequest("pause-ai", "{\"callbackId\":"));

        Assert.Equal(HttpStatusCode.OK, noReason.StatusCode);
        var outputs = (await noReason.Content.ReadFromJsonAsync<JsonObject>())!["outputFields"]!;
        Assert.Equal("FAIL_CONTINUE", (string?)outputs["hs_execution_state"]);
        Assert.Equal("invalid_input", (string?)outputs["result"]);
        Assert.Contains("reason", (string?)outputs["reason"], StringComparison.Ordinal);
        Assert.Equal("Rejected", Assert.Single(await fixture.ExecutionEventsAsync("ap-no-reason")).Fate);
        Assert.Equal("FAIL_CONTINUE", (string?)(await deal.Content.ReadFromJsonAsync<JsonObject>())!["outputFields"]!["hs_execution_state"]);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(0, (await World.MessagesAsync(written.ThreadId)).Count(m => ((string?)m["text"])?.Contains("AI decided to handoff", StringComparison.Ordinal) == true));
    }
    [Fact]
    public async Task Ticket_without_a_Deskbridge_conversation_fails_continue_with_no_session_and_is_recorded_skipped()
    {
        // Ticket 402 is a seeded ticket no customer ever wrote about through Deskbridge.
        var execution = await fixture.RunAsync("pause-ai", "TICKET", "402");

        Assert.Equal("FAIL_CONTINUE", execution.State);
        Assert.Equal("no_session", execution.OutputFields!["result"]);
        Assert.Contains("thread_id", execution.OutputFields["reason"], StringComparison.Ordinal);
        var recorded = Assert.Single(await fixture.ExecutionEventsAsync(execution.CallbackId));
        Assert.Equal("Skipped", recorded.Fate);
        Assert.Null(recorded.SessionId);
    }
}
