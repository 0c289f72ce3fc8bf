using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Handoff;

/// <summary>H3 per organization: routing rules pick the rep, and ticketing can be switched off. Each test sets both first.</summary>
public sealed class RoutingAndTicketingTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ConnectedWorld World => fixture.World;

    private async Task<(ConnectedWorld.Written Written, DeskbridgeApi.EventView Handoff, JsonNode Ticket)> HandOffAsync(string text)
    {
        var written = await World.CustomerWritesAsync(text);
        var events = await World.SettledEventsAsync(written.ThreadId, atLeast: 3);
        var ticket = (await World.CrmRecordAsync("tickets", written.TicketId!))["properties"]!;
        return (written, events.Single(e => e.MessageId == written.MessageId), ticket);
    }

    [Fact]
    public async Task First_routing_rule_whose_keyword_the_customer_wrote_names_the_ticket_owner()
    {
        await World.SettingsAsync(new { ticketingEnabled = true });
        await World.RoutingRulesAsync(new object[]
        {
            new { channel = "email", assignToUserId = World.HumanUserId },
            new { keywords = new[] { "invoice", "refund" }, assignToUserId = World.HumanUserId },
        });

        var refund = await HandOffAsync("I need a REFUND for order 1042, let me talk to a real person");
        var other = await HandOffAsync("I want to talk to a real person please");

        Assert.Equal(SeedData.HumanOwnerId, (string?)refund.Ticket["hubspot_owner_id"]);
        Assert.Contains("assigned to Hannah Human (owner 602, by routing rule 2 (keywords invoice/refund))", refund.Handoff.Reason, StringComparison.Ordinal);
        Assert.Equal(SeedData.AiOwnerId, (string?)other.Ticket["hubspot_owner_id"]);
        Assert.Contains("by the default user", other.Handoff.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routing_rule_on_the_customers_language_names_the_ticket_owner()
    {
        await World.SettingsAsync(new { ticketingEnabled = true });
        await World.RoutingRulesAsync(new object[] { new { language = "de", assignToUserId = World.HumanUserId } });

        var german = await HandOffAsync("Guten Tag, meine Bestellung ist immer noch nicht angekommen. Ich möchte bitte mit einem Mitarbeiter sprechen.");

        Assert.Equal(SeedData.HumanOwnerId, (string?)german.Ticket["hubspot_owner_id"]);
        Assert.Equal("true", (string?)german.Ticket["opencx_handedoff"]);
        Assert.Contains("by routing rule 1 (language de)", german.Handoff.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_ticketing_off_the_ticket_is_left_alone_and_the_handoff_note_is_still_posted()
    {
        await World.SettingsAsync(new { ticketingEnabled = false });
        await World.RoutingRulesAsync(Array.Empty<object>());
        var before = await World.RequestSequenceAsync();

        var (written, handoff, ticket) = await HandOffAsync("I want to talk to a real person please");

        Assert.Equal("Processed", handoff.Fate);
        Assert.Contains("ticketing is off, so no ticket was created or changed", handoff.Reason, StringComparison.Ordinal);
        Assert.Null((string?)ticket["opencx_handedoff"]);
        Assert.DoesNotContain(await World.RequestsSinceAsync(before), r =>
            r.Path.StartsWith("/crm/v3/objects/tickets", StringComparison.Ordinal) && r.Method is "PATCH" or "POST" && !r.Path.EndsWith("/batch/read", StringComparison.Ordinal));
        var note = Assert.Single(await World.MessagesAsync(written.ThreadId), m => (string?)m["type"] == "COMMENT");
        Assert.StartsWith("🔄 AI decided to handoff", (string?)note["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routing_rules_are_replaced_as_a_list_and_invalid_ones_are_refused_with_reasons()
    {
        var url = $"api/organizations/{World.Organization.Id}/routing-rules";
        await World.RoutingRulesAsync(new object[] { new { channel = "Chat", keywords = new[] { " billing " }, assignToUserId = World.HumanUserId } });

        var refused = await World.Deskbridge.Http.PutAsJsonAsync(url, new object[]
        {
            new { channel = "fax", assignToUserId = World.HumanUserId },
            new { language = "german" },
        });
        var saved = await World.Deskbridge.GetJsonAsync<JsonArray>(url);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("unknown channel 'fax'", problem["errors"]!["rules[0]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var second = problem["errors"]!["rules[1]"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(second, e => e.StartsWith("assignToUserId", StringComparison.Ordinal));
        Assert.Contains(second, e => e.Contains("ISO 639-1", StringComparison.Ordinal));
        var rule = Assert.Single(saved)!;
        Assert.Equal("chat", (string?)rule["channel"]);
        Assert.Equal("billing", (string?)rule["keywords"]![0]);
        await World.RoutingRulesAsync(Array.Empty<object>());
    }
}
