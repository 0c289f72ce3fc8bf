using System.Net;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

using static Deskbridge.Testing.DeskbridgeApi;

namespace Deskbridge.Tests.Webhooks;

/// <summary>A sandbox whose every event reuses the first eventId, as HubSpot's "not guaranteed unique" allows.</summary>
public sealed class RepeatingEventIdsFixture : IAsyncLifetime
{
    public ConnectedWorld World { get; private set; } = null!;

    public async Task InitializeAsync() => World = await ConnectedWorld.StartAsync(sandboxOptions: o => o.WebhookEventIdRepeatRate = 1);

    public async Task DisposeAsync() => await World.DisposeAsync();
}

/// <summary>W5: different changes never collide on a repeated eventId; HubSpot's retries of one event still dedup.</summary>
public sealed class EventIdRepeatTests(RepeatingEventIdsFixture fixture) : IClassFixture<RepeatingEventIdsFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public async Task Ticket_changes_sharing_an_eventId_are_each_processed()
    {
        await World.SandboxAdmin.EditTicketAsync(new("401", new() { ["subject"] = "Renamed by an agent", ["hs_ticket_priority"] = "HIGH" }, UserId: null));

        var events = await Eventually.UntilAsync(() => World.Deskbridge.EventsAsync(World.Organization.Id),
            e => e.Count(x => x.SubscriptionType == "ticket.propertyChange" && x.ObjectId == "401" && x.Status == "Done") >= 2,
            what: "both ticket changes settled");
        var changes = events.Where(e => e.SubscriptionType == "ticket.propertyChange" && e.ObjectId == "401").ToList();
        Assert.Single(changes.Select(c => c.EventId).Distinct());
        Assert.Equal(2, changes.Select(c => c.DedupKey).Distinct().Count());
        Assert.DoesNotContain(changes, c => c.Fate == "Duplicate");
    }

    [Fact]
    public async Task A_hubspot_retry_of_a_ticket_change_is_a_duplicate_and_a_different_change_with_its_eventId_is_not()
    {
        var first = new JsonObject
        {
            ["eventId"] = 880001, ["subscriptionId"] = 9, ["portalId"] = World.Sandbox.Options.PortalId, ["appId"] = World.Sandbox.Options.AppId,
            ["occurredAt"] = 1_700_000_000_000, ["subscriptionType"] = "ticket.propertyChange", ["attemptNumber"] = 0, ["objectId"] = 402,
            ["propertyName"] = "subject", ["propertyValue"] = "Cannot log in", ["changeSource"] = "CRM_UI",
        };
        var retry = first.DeepClone().AsObject();
        retry["attemptNumber"] = 1;
        var otherValue = first.DeepClone().AsObject();
        otherValue["propertyValue"] = "Cannot log in (again)";
        var otherProperty = first.DeepClone().AsObject();
        otherProperty["propertyName"] = "content";
        var later = first.DeepClone().AsObject();
        later["occurredAt"] = 1_700_000_000_001;

        Assert.Equal(HttpStatusCode.OK, (await SignedDelivery.PostAsync(World, $"[{first.ToJsonString()}]")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignedDelivery.PostAsync(World, $"[{retry.ToJsonString()},{otherValue.ToJsonString()},{otherProperty.ToJsonString()},{later.ToJsonString()}]")).StatusCode);

        var events = await World.Deskbridge.EventsAsync(World.Organization.Id, "&eventId=880001");
        Assert.Equal(5, events.Count);
        var duplicate = Assert.Single(events, e => e.Fate == "Duplicate");
        Assert.Equal(1, duplicate.AttemptNumber);
        Assert.Equal(4, events.Where(e => e.Fate != "Duplicate").Select(e => e.DedupKey).Distinct().Count());
    }

    [Fact]
    public async Task Messages_keep_the_seed_key_so_a_repeated_eventId_on_one_thread_never_hides_a_message()
    {
        var written = await World.CustomerWritesAsync("Where is my parcel?");
        var reply = await World.CustomerWritesAsync("It was due yesterday.", threadId: written.ThreadId);

        var events = await Eventually.UntilAsync(() => World.Deskbridge.EventsAsync(World.Organization.Id, $"&threadId={written.ThreadId}"),
            e => e.Count(x => x.MessageId == written.MessageId || x.MessageId == reply.MessageId) == 2 && e.All(x => x.Status == "Done"),
            what: "both customer messages settled");
        var messages = events.Where(e => e.SubscriptionType == "conversation.newMessage").ToList();
        Assert.All(messages, m => Assert.Equal($"{written.ThreadId}-{m.MessageId}", m.DedupKey));
        Assert.Single(events.Select(e => e.EventId).Distinct());
        Assert.DoesNotContain(events, e => e.Fate == "Duplicate");
    }
}
