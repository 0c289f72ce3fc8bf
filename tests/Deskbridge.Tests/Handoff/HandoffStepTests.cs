using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deskbridge.Agent;
using Deskbridge.Handoff;
using Deskbridge.HubSpot;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Inbox;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Tests.Handoff;

/// <summary>The sandbox's threads, with its webhooks held so Deskbridge only does what a test asks of it.</summary>
public sealed class QuietWorldFixture : IAsyncLifetime
{
    public ConnectedWorld World { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        World = await ConnectedWorld.StartAsync();
        await World.PauseWebhooksAsync();
    }

    public async Task DisposeAsync() => await World.DisposeAsync();
}

/// <summary>
/// H2–H5 step by step, for what the sandbox cannot start by itself: threads of non-HubSpot channels (it only simulates
/// chat and email), contact races, custom data and retries. Handoffs run in Deskbridge's own services, against the sandbox.
/// </summary>
public sealed class HandoffStepTests(QuietWorldFixture fixture) : IClassFixture<QuietWorldFixture>
{
    private static readonly AgentHandoff AskedForHuman = new("The customer asked to talk to a person.", HandoffTrigger.CustomerAskedForHuman);

    private ConnectedWorld World => fixture.World;

    private static string NewEmail() => $"customer-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Handoff_on_a_non_hubspot_channel_creates_a_ticket_with_summary_and_transcript_for_the_contact()
    {
        var email = NewEmail();
        var thread = await ThreadWithoutTicketAsync(email);
        var sessionId = await SessionAsync(thread.ThreadId, "1001", email, lines: ["My parcel never arrived and tracking shows nothing.", "Please let me talk to a person."]);

        var outcome = await HandOffAsync(sessionId);

        var session = await LoadSessionAsync(sessionId);
        Assert.NotNull(session.TicketId);
        Assert.NotEqual(thread.TicketId, session.TicketId);
        Assert.Contains($"contact {thread.ContactId} found by {email}", outcome, StringComparison.Ordinal);
        Assert.Contains($"ticket {session.TicketId} created for contact {thread.ContactId}", outcome, StringComparison.Ordinal);
        var ticket = await World.CrmRecordAsync("tickets", session.TicketId);
        var properties = ticket["properties"]!;
        Assert.Equal("facebook: My parcel never arrived and tracking shows nothing.", (string?)properties["subject"]);
        Assert.Equal("0", (string?)properties["hs_pipeline"]);
        Assert.Equal("1", (string?)properties["hs_pipeline_stage"]);
        Assert.Equal("true", (string?)properties["opencx_handedoff"]);
        Assert.Equal(HubSpotSandbox.SeedData.AiOwnerId, (string?)properties["hubspot_owner_id"]);
        var content = (string)properties["content"]!;
        Assert.Contains("Summary: ", content, StringComparison.Ordinal);
        Assert.Contains("Customer: My parcel never arrived and tracking shows nothing.", content, StringComparison.Ordinal);
        Assert.Contains("Customer: Please let me talk to a person.", content, StringComparison.Ordinal);
        Assert.Contains(thread.ContactId, AssociatedIds(ticket, "contacts"));
        // HubSpot defines no ticket↔conversation association for the API: none is attempted, and the outcome says so.
        Assert.Empty(AssociatedIds(ticket, "conversations"));
        Assert.Contains($"thread {thread.ThreadId} is linked in Deskbridge's session only", outcome, StringComparison.Ordinal);
        Assert.Contains($"Deskbridge session {sessionId}", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retried_handoff_creates_no_second_contact_ticket_or_comment()
    {
        var email = NewEmail();
        var thread = await ThreadWithoutTicketAsync(NewEmail());
        var sessionId = await SessionAsync(thread.ThreadId, "1001", email, lines: ["Where is my order? I want a human."]);
        await World.AddFaultAsync(new FaultRequest("/crm/v3/objects/tickets/*", FaultKind.Error, Method: "PATCH", StatusCode: 503, Count: 1));

        var failure = await Assert.ThrowsAsync<HubSpotException>(() => HandOffAsync(sessionId));
        var outcome = await HandOffAsync(sessionId);

        Assert.Equal(503, failure.Error.StatusCode);
        var contact = Assert.Single(await World.CrmRecordsAsync("contacts"), c => (string?)c["properties"]!["email"] == email);
        var ticket = Assert.Single(await World.CrmRecordsAsync("tickets"),
            t => ((string?)t["properties"]!["content"])?.Contains($"Deskbridge session {sessionId}", StringComparison.Ordinal) == true);
        Assert.Single(await World.MessagesAsync(thread.ThreadId), m => (string?)m["type"] == "COMMENT");
        Assert.Equal("true", (string?)ticket["properties"]!["opencx_handedoff"]);
        Assert.Contains($"contact {contact["id"]} linked", outcome, StringComparison.Ordinal);
        Assert.Contains($"ticket {ticket["id"]} linked", outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handoff_stopped_after_hubspot_created_the_ticket_finds_it_instead_of_creating_a_second()
    {
        var email = NewEmail();
        var thread = await ThreadWithoutTicketAsync(email);
        var sessionId = await SessionAsync(thread.ThreadId, "1001", email, lines: ["Where is my order? I want a human."]);
        // HubSpot answers the create after Deskbridge's attempt timeout (2 s in tests): the ticket exists, its id never arrived.
        await World.AddFaultAsync(new FaultRequest("/crm/v3/objects/tickets", FaultKind.Delay, Method: "POST", DelayMilliseconds: 3000, Count: 1));
        var lost = await Assert.ThrowsAsync<HubSpotException>(() => HandOffAsync(sessionId));
        Assert.Equal(HubSpotErrorKind.Timeout, lost.Error.Kind);
        Assert.Null((await LoadSessionAsync(sessionId)).TicketId);
        await Eventually.UntilAsync(() => World.CrmRecordsAsync("tickets"),
            all => all.Any(t => ((string?)t["properties"]!["content"])?.Contains($"Deskbridge session {sessionId}", StringComparison.Ordinal) == true),
            TimeSpan.FromSeconds(10), "HubSpot to finish the interrupted create");

        var outcome = await HandOffAsync(sessionId);

        var ticket = Assert.Single(await World.CrmRecordsAsync("tickets"),
            t => ((string?)t["properties"]!["content"])?.Contains($"Deskbridge session {sessionId}", StringComparison.Ordinal) == true);
        Assert.Contains($"ticket {ticket["id"]} linked (created by an earlier attempt)", outcome, StringComparison.Ordinal);
        Assert.Equal((string?)ticket["id"], (await LoadSessionAsync(sessionId)).TicketId);
    }

    [Fact]
    public async Task Creates_a_contact_when_none_has_the_customers_email_and_finds_an_existing_one()
    {
        var email = NewEmail();
        var created = await SyncContactAsync(await SessionAsync($"t-{Guid.NewGuid():N}", "1001", email));
        var found = await SyncContactAsync(await SessionAsync($"t-{Guid.NewGuid():N}", "1001", "ada@northwind.example"));

        Assert.StartsWith("contact ", created.Sentence, StringComparison.Ordinal);
        Assert.EndsWith($"created for {email}", created.Sentence, StringComparison.Ordinal);
        var contact = Assert.Single(await World.CrmRecordsAsync("contacts"), c => (string?)c["properties"]!["email"] == email);
        Assert.Equal((string?)contact["id"], created.ContactId);
        Assert.Equal(HubSpotSandbox.SeedData.AdaContactId, found.ContactId);
        Assert.Equal("contact 101 found by ada@northwind.example", found.Sentence);
    }

    [Fact]
    public async Task Uses_the_existing_contact_when_someone_else_creates_it_between_search_and_create()
    {
        var email = NewEmail();
        var sessionId = await SessionAsync($"t-{Guid.NewGuid():N}", "1001", email);
        var before = await World.RequestSequenceAsync();
        // Our create waits at HubSpot's door long enough for the other writer to get in first.
        await World.AddFaultAsync(new FaultRequest("/crm/v3/objects/contacts", FaultKind.Delay, Method: "POST", DelayMilliseconds: 1500, Count: 1));

        var sync = SyncContactAsync(sessionId);
        await Eventually.UntilAsync(() => World.RequestsSinceAsync(before),
            calls => calls.Any(c => c.Path == "/crm/v3/objects/contacts/search"), what: "the contact search");
        var other = await World.CustomerWritesAsync("Hello?", email: email);
        var result = await sync;

        Assert.Equal(other.ContactId, result.ContactId);
        Assert.Contains("created meanwhile by someone else", result.Sentence, StringComparison.Ordinal);
        Assert.Single(await World.CrmRecordsAsync("contacts"), c => (string?)c["properties"]!["email"] == email);
        Assert.Equal(other.ContactId, (await LoadSessionAsync(sessionId)).ContactId);
    }

    [Fact]
    public async Task Custom_data_becomes_ticket_properties_and_what_the_ticket_lacks_is_reported()
    {
        var email = NewEmail();
        var thread = await World.CustomerWritesAsync("Where is my order?", email: email);
        var sessionId = await SessionAsync(thread.ThreadId, "1000", email, thread.ContactId, customData: new()
        {
            ["hs_ticket_priority"] = "HIGH",
            ["order_number"] = "1042",
            ["createdate"] = "2020-01-01",
        });

        var outcome = await HandOffAsync(sessionId);

        var ticket = (await World.CrmRecordAsync("tickets", thread.TicketId!))["properties"]!;
        Assert.Equal("HIGH", (string?)ticket["hs_ticket_priority"]);
        Assert.Null((string?)ticket["order_number"]);
        Assert.Contains($"ticket {thread.TicketId} linked (found through the thread's associations)", outcome, StringComparison.Ordinal);
        Assert.Contains("custom data written to the ticket: hs_ticket_priority", outcome, StringComparison.Ordinal);
        Assert.Contains("not written, no such ticket property in HubSpot: order_number", outcome, StringComparison.Ordinal);
        Assert.Contains("not written, read-only or set by the handoff: createdate", outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crm_context_without_the_deals_scope_leaves_out_the_deals_with_the_reason()
    {
        var token = await World.CreateTokenAsync("crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read",
            "crm.objects.owners.read", "tickets", "conversations.read", "conversations.write", "oauth");
        await World.ConnectAsync(token, World.Sandbox.Options.ClientSecret);
        try
        {
            var thread = await World.CustomerWritesAsync("I want to speak to a person", email: "grace@contoso.example");
            // As the first message left it: contact and ticket known from the thread.
            var sessionId = await SessionAsync(thread.ThreadId, "1000", "grace@contoso.example", thread.ContactId, ticketId: thread.TicketId);

            var outcome = await HandOffAsync(sessionId);

            Assert.Contains("CRM context partial: deals: the token lacks crm.objects.deals.read", outcome, StringComparison.Ordinal);
            var note = Assert.Single(await World.MessagesAsync(thread.ThreadId), m => (string?)m["type"] == "COMMENT");
            var crmLine = ((string)note["text"]!).Split('\n').Single(l => l.StartsWith("CRM: ", StringComparison.Ordinal));
            Assert.Contains("Grace Hopper, grace@contoso.example", crmLine, StringComparison.Ordinal);
            Assert.Contains("company Contoso Pharmaceuticals", crmLine, StringComparison.Ordinal);
            Assert.Contains("previous tickets: \"Cannot log in to the customer portal\" (stage 4)", crmLine, StringComparison.Ordinal);
            Assert.Contains("not available: deals: the token lacks crm.objects.deals.read", crmLine, StringComparison.Ordinal);
            Assert.DoesNotContain("deals: Contoso", crmLine, StringComparison.Ordinal);
        }
        finally
        {
            await World.ConnectAsync(World.Sandbox.Options.DemoToken, World.Sandbox.Options.ClientSecret);
        }
    }

    private static List<string> AssociatedIds(JsonObject record, string type) =>
        record["associations"]?[type]?.AsArray().Select(a => (string)a!["id"]!).ToList() ?? [];

    /// <summary>A sandbox thread that looks like one of a channel HubSpot does not own: no ticket of HubSpot's on it.</summary>
    private Task<ConnectedWorld.Written> ThreadWithoutTicketAsync(string email) => World.CustomerWritesWithoutTicketAsync(email);

    private async Task<Guid> SessionAsync(string threadId, string channelId, string? email, string? contactId = null,
        Dictionary<string, string>? customData = null, string[]? lines = null, string? ticketId = null)
    {
        using var scope = World.Deskbridge.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var session = new Session
        {
            OrganizationId = World.Organization.Id,
            ThreadId = threadId,
            CreatedAt = DateTimeOffset.UtcNow,
            ChannelId = channelId,
            CustomerEmail = email,
            ContactId = contactId,
            TicketId = ticketId,
            CustomData = JsonSerializer.Serialize(customData ?? []),
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        var store = scope.ServiceProvider.GetRequiredService<SessionStore>();
        var i = 0;
        foreach (var line in lines ?? ["I want to talk to a human."])
        {
            await store.AddEntryAsync(session, $"m{i++}", Speaker.Customer, line, DateTimeOffset.UtcNow, CancellationToken.None);
        }
        return session.Id;
    }

    /// <summary>One handoff attempt in a fresh scope, as the event runner makes it; the note answers message "m-last".</summary>
    private async Task<string> HandOffAsync(Guid sessionId)
    {
        using var scope = World.Deskbridge.Services.CreateScope();
        var (db, context) = await ContextAsync(scope);
        var session = await db.Sessions.SingleAsync(s => s.Id == sessionId);
        var outcome = await scope.ServiceProvider.GetRequiredService<HandoffService>().HandOffAsync(context, session, $"m-last-{sessionId:N}", AskedForHuman, CancellationToken.None);
        return Assert.IsType<EventOutcome.Processed>(outcome).WhatWasDone;
    }

    private async Task<ContactSync.Result> SyncContactAsync(Guid sessionId)
    {
        using var scope = World.Deskbridge.Services.CreateScope();
        var (db, context) = await ContextAsync(scope);
        var session = await db.Sessions.SingleAsync(s => s.Id == sessionId);
        return await scope.ServiceProvider.GetRequiredService<ContactSync>().SyncAsync(context, session, CancellationToken.None);
    }

    private async Task<(DeskbridgeDb Db, ProcessingContext Context)> ContextAsync(IServiceScope scope)
    {
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var (_, context) = await ProcessingContext.LoadAsync(db, scope.ServiceProvider.GetRequiredService<SecretProtector>(),
            scope.ServiceProvider.GetRequiredService<Deskbridge.Organizations.HubSpotAddressPolicy>(), World.Organization.Id, CancellationToken.None);
        return (db, context!);
    }

    private async Task<Session> LoadSessionAsync(Guid sessionId)
    {
        using var scope = World.Deskbridge.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().Sessions.AsNoTracking().SingleAsync(s => s.Id == sessionId);
    }
}
