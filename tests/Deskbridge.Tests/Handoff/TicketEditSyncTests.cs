using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Deskbridge.Testing;
using Deskbridge.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Tests.Handoff;

/// <summary>H6: ticket edits become session custom data — never an older value over a newer one, never an empty one.</summary>
public sealed class TicketEditSyncTests : IAsyncLifetime
{
    private ConnectedWorld _world = null!;

    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Older_and_empty_property_changes_do_not_overwrite_the_newer_value()
    {
        var (ticketId, sessionId) = await SessionWithTicketAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await DeliverAsync(TicketChange(ticketId, "hs_ticket_priority", "LOW", occurredAt: now, eventId: 9001));
        await DeliverAsync(TicketChange(ticketId, "hs_ticket_priority", "HIGH", occurredAt: now - 10_000, eventId: 9002));
        await DeliverAsync(TicketChange(ticketId, "hs_ticket_priority", "", occurredAt: now + 5_000, eventId: 9003));

        var events = await Eventually.UntilAsync(() => _world.Deskbridge.EventsAsync(_world.Organization.Id),
            e => e.Count(x => x.SubscriptionType == "ticket.propertyChange" && x.Status == "Done") >= 3, what: "three settled ticket edits");
        var edits = events.Where(e => e.SubscriptionType == "ticket.propertyChange").ToDictionary(e => e.EventId!);
        Assert.Equal("Processed", edits["9001"].Fate);
        Assert.Contains("Out of order", edits["9002"].Reason, StringComparison.Ordinal);
        Assert.Contains("empty", edits["9003"].Reason, StringComparison.Ordinal);
        Assert.Contains("\"hs_ticket_priority\":\"LOW\"", await CustomDataAsync(sessionId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ticket_linked_to_several_sessions_brings_the_edit_to_each()
    {
        var (ticketId, firstSession) = await SessionWithTicketAsync();
        var (_, secondSession) = await SessionWithTicketAsync();
        using (var scope = _world.Deskbridge.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Deskbridge.Storage.DeskbridgeDb>();
            await db.Sessions.Where(s => s.Id == secondSession).ExecuteUpdateAsync(u => u.SetProperty(s => s.TicketId, ticketId));
        }

        await DeliverAsync(TicketChange(ticketId, "hs_ticket_priority", "URGENT", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), eventId: 9200));

        var events = await Eventually.UntilAsync(() => _world.Deskbridge.EventsAsync(_world.Organization.Id, "&eventId=9200"),
            e => e.Count == 1 && e[0].Status == "Done", what: "the edit's fate");
        Assert.Equal("Processed", events[0].Fate);
        Assert.Contains(firstSession.ToString(), events[0].Reason, StringComparison.Ordinal);
        Assert.Contains(secondSession.ToString(), events[0].Reason, StringComparison.Ordinal);
        Assert.Contains("\"hs_ticket_priority\":\"URGENT\"", await CustomDataAsync(firstSession), StringComparison.Ordinal);
        Assert.Contains("\"hs_ticket_priority\":\"URGENT\"", await CustomDataAsync(secondSession), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ticket_edits_are_skipped_when_ticketing_is_off()
    {
        var (ticketId, sessionId) = await SessionWithTicketAsync();
        await _world.SettingsAsync(new { ticketingEnabled = false });

        await DeliverAsync(TicketChange(ticketId, "subject", "Changed by an agent", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), eventId: 9100));

        var events = await Eventually.UntilAsync(() => _world.Deskbridge.EventsAsync(_world.Organization.Id, "&eventId=9100"),
            e => e.Count == 1 && e[0].Status == "Done", what: "the edit's fate");
        Assert.Contains("Ticketing is disabled", events[0].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Changed by an agent", await CustomDataAsync(sessionId), StringComparison.Ordinal);
        await _world.SettingsAsync(new { ticketingEnabled = true });
    }

    private async Task<(string TicketId, Guid SessionId)> SessionWithTicketAsync()
    {
        var written = await _world.CustomerWritesAsync("How long does standard shipping take?");
        var events = await _world.SettledEventsAsync(written.ThreadId, atLeast: 3);
        return (written.TicketId!, events.First(e => e.SessionId is not null).SessionId!.Value);
    }

    private async Task<string> CustomDataAsync(Guid sessionId) =>
        (string)(await _world.Deskbridge.GetJsonAsync<JsonObject>($"api/organizations/{_world.Organization.Id}/sessions/{sessionId}"))["customData"]!;

    private static object TicketChange(string ticketId, string property, string value, long occurredAt, long eventId) => new
    {
        eventId,
        subscriptionId = 7,
        portalId = 24681357,
        appId = 2345678,
        occurredAt,
        subscriptionType = "ticket.propertyChange",
        attemptNumber = 0,
        objectId = long.Parse(ticketId, CultureInfo.InvariantCulture),
        propertyName = property,
        propertyValue = value,
        changeSource = "CRM_UI",
    };

    /// <summary>Delivers an event as HubSpot would, signed with the app's client secret (W6 is on for this organization).</summary>
    private async Task DeliverAsync(object change)
    {
        var url = new Uri(_world.Deskbridge.BaseAddress, new Uri(_world.Organization.WebhookUrl).AbsolutePath).ToString();
        var body = DeskbridgeApi.Batch(change);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        request.Headers.Add("X-HubSpot-Signature-v3", HubSpotSignature.ComputeV3(_world.Sandbox.Options.ClientSecret, "POST", url, Encoding.UTF8.GetBytes(body), timestamp));
        var response = await _world.Deskbridge.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
