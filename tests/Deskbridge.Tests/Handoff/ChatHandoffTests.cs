using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Handoff;

/// <summary>H2–H5 end to end on HubSpot-owned channels: webhooks in, contact/ticket/CRM sync out, against the sandbox.</summary>
public sealed class ChatHandoffTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public async Task Chat_handoff_links_hubspots_ticket_tags_it_and_assigns_it_to_the_default_users_owner()
    {
        var before = await World.RequestSequenceAsync();
        var written = await World.CustomerWritesAsync("I want to talk to a real person please");
        var events = await World.SettledEventsAsync(written.ThreadId, atLeast: 3);

        var handoff = events.Single(e => e.MessageId == written.MessageId);
        Assert.Equal("Processed", handoff.Fate);
        Assert.Contains($"contact {written.ContactId} linked", handoff.Reason, StringComparison.Ordinal);
        Assert.Contains($"ticket {written.TicketId} linked", handoff.Reason, StringComparison.Ordinal);
        Assert.Contains($"tagged opencx_handedoff and assigned to Deskbridge AI (owner {SeedData.AiOwnerId}, by the default user)", handoff.Reason, StringComparison.Ordinal);

        var ticket = (await World.CrmRecordAsync("tickets", written.TicketId!))["properties"]!;
        Assert.Equal("true", (string?)ticket["opencx_handedoff"]);
        Assert.Equal(SeedData.AiOwnerId, (string?)ticket["hubspot_owner_id"]);
        Assert.Single(await World.RequestsSinceAsync(before), r => r.Method == "PATCH" && r.Path == $"/crm/v3/objects/tickets/{written.TicketId}");
        Assert.Single(await World.MessagesAsync(written.ThreadId), m => (string?)m["type"] == "COMMENT");

        var session = await World.Deskbridge.GetJsonAsync<JsonObject>($"api/organizations/{World.Organization.Id}/sessions/{handoff.SessionId}");
        Assert.Equal(written.TicketId, (string?)session["ticketId"]);
        Assert.Equal(written.ContactId, (string?)session["contactId"]);
    }

    [Fact]
    public async Task Handoff_note_carries_the_crm_context_of_a_known_customer()
    {
        var written = await World.CustomerWritesAsync("My blender broke again. I want to talk to a real person please", email: "ada@northwind.example");
        await World.SettledEventsAsync(written.ThreadId, atLeast: 3);

        var note = Assert.Single(await World.MessagesAsync(written.ThreadId), m => (string?)m["type"] == "COMMENT");
        var crmLine = ((string)note["text"]!).Split('\n').Single(l => l.StartsWith("CRM: ", StringComparison.Ordinal));
        Assert.Contains("Ada Lovelace, ada@northwind.example, +1 206 555 0101, owner 602", crmLine, StringComparison.Ordinal);
        Assert.Contains("company Northwind Traders (northwind.example, RETAIL, 250 employees)", crmLine, StringComparison.Ordinal);
        Assert.Contains("deals: Northwind - Annual plan closedwon 12000 closing 2025-11-30", crmLine, StringComparison.Ordinal);
        Assert.Contains("previous tickets: \"Refund for order #1042\" (stage 4)", crmLine, StringComparison.Ordinal);
        // The conversation's own ticket is not a previous one.
        Assert.DoesNotContain("Chat with", crmLine, StringComparison.Ordinal);
        Assert.DoesNotContain("not available", crmLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handoff_retried_after_a_failed_ticket_update_posts_one_note_and_tags_the_ticket()
    {
        await World.AddFaultAsync(new FaultRequest("/crm/v3/objects/tickets/*", FaultKind.Error, Method: "PATCH", StatusCode: 503, Count: 1));

        var written = await World.CustomerWritesAsync("Can I talk to a human agent?");
        var events = await World.SettledEventsAsync(written.ThreadId, atLeast: 3);

        var handoff = events.Single(e => e.MessageId == written.MessageId);
        Assert.Equal("Processed", handoff.Fate);
        Assert.Equal(2, handoff.ProcessingAttempts);
        Assert.Single(await World.MessagesAsync(written.ThreadId), m => (string?)m["type"] == "COMMENT");
        Assert.Equal("true", (string?)(await World.CrmRecordAsync("tickets", written.TicketId!))["properties"]!["opencx_handedoff"]);
    }
}
