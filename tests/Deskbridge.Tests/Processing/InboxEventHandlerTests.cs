using System.Net.Http.Headers;
using System.Net.Http.Json;
using Deskbridge.Inbox;
using Deskbridge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Tests.Processing;

/// <summary>W4 as a contract: the event types acted on are the ones some feature registered a handler for.</summary>
public sealed class InboxEventHandlerTests
{
    private sealed class ContactChangeHandler : IInboxEventHandler
    {
        public string SubscriptionType => "contact.propertyChange";

        public Task<EventOutcome> HandleAsync(InboxEvent inboxEvent, ProcessingContext context, CancellationToken ct) =>
            Task.FromResult<EventOutcome>(new EventOutcome.Processed($"contact {inboxEvent.ObjectId} seen by the registered handler", null));
    }

    [Fact]
    public async Task A_registered_handler_makes_its_event_type_acted_on_and_receives_its_events()
    {
        await using var world = await ConnectedWorld.StartAsync(configure: builder =>
            builder.Services.AddInboxEventHandler<ContactChangeHandler>("contact.propertyChange"));
        await world.SandboxAdmin.SubscribeAsync("contact.propertyChange", "firstname");

        using var update = new HttpRequestMessage(HttpMethod.Patch, "crm/v3/objects/contacts/101")
        {
            Content = JsonContent.Create(new { properties = new { firstname = "Augusta" } }),
        };
        update.Headers.Authorization = new AuthenticationHeaderValue("Bearer", world.Sandbox.Options.DemoToken);
        (await world.SandboxHttp.SendAsync(update)).EnsureSuccessStatusCode();

        var events = await Eventually.UntilAsync(() => world.Deskbridge.EventsAsync(world.Organization.Id),
            e => e.Any(x => x.SubscriptionType == "contact.propertyChange" && x.Status == "Done"), what: "the contact change's fate");
        var change = events.First(x => x.SubscriptionType == "contact.propertyChange");
        Assert.Equal("Processed", change.Fate);
        Assert.Equal("contact 101 seen by the registered handler", change.Reason);
    }
}
