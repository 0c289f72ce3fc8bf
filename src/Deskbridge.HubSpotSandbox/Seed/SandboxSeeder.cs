using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Conversations;
using Deskbridge.HubSpotSandbox.Crm;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.HubSpotSandbox.RateLimiting;
using Deskbridge.HubSpotSandbox.RequestLog;
using Deskbridge.HubSpotSandbox.Webhooks;

namespace Deskbridge.HubSpotSandbox;

/// <summary>Puts every store into the demo portal's initial state (at start and on admin reset).</summary>
public sealed class SandboxSeeder(
    SandboxOptions options,
    TimeProvider time,
    TokenStore tokens,
    RateLimiter rateLimiter,
    FaultStore faults,
    RequestLogStore requestLog,
    CrmStore crm,
    AssociationStore associations,
    PropertyCatalog properties,
    ConversationStore conversations,
    InboxRouting routing,
    SubscriptionStore subscriptions,
    WebhookSettingsStore webhookSettings,
    WebhookQueue webhookQueue,
    WebhookPublisher publisher,
    DeliveryLog deliveries)
{
    /// <summary>The subscriptions Deskbridge's setup guide asks for.</summary>
    public static readonly IReadOnlyList<(string EventType, string? PropertyName)> DemoSubscriptions =
    [
        (SubscriptionTypes.ConversationCreation, null),
        (SubscriptionTypes.ConversationNewMessage, null),
        (SubscriptionTypes.ConversationPropertyChange, "assignedTo"),
        (SubscriptionTypes.TicketPropertyChange, "subject"),
        (SubscriptionTypes.TicketPropertyChange, "content"),
        (SubscriptionTypes.TicketPropertyChange, "hs_pipeline_stage"),
        (SubscriptionTypes.TicketPropertyChange, "hs_ticket_priority"),
    ];

    public void Seed()
    {
        webhookQueue.Reset();
        deliveries.Clear();
        publisher.ClearHistory();
        tokens.Reset();
        rateLimiter.Reset();
        faults.Clear();
        requestLog.Clear();
        crm.Clear();
        associations.Clear();
        properties.Reset();
        conversations.Clear();
        routing.Reset();
        subscriptions.Clear();
        webhookSettings.Reset();

        if (options.SeedSampleRecords)
        {
            SeedCrm();
        }
        SeedInbox();
        if (!string.IsNullOrEmpty(options.WebhookTargetUrl))
        {
            foreach (var (eventType, propertyName) in options.Subscriptions ?? DemoSubscriptions)
            {
                subscriptions.Add(eventType, propertyName, active: true);
            }
        }
    }

    private void SeedCrm()
    {
        var longAgo = time.GetUtcNow().AddDays(-90);
        Create(CrmObjectTypes.Companies, SeedData.NorthwindCompanyId, longAgo, ("name", "Northwind Traders"), ("domain", "northwind.example"),
            ("industry", "RETAIL"), ("numberofemployees", "250"), ("city", "Seattle"), ("country", "United States"));
        Create(CrmObjectTypes.Companies, SeedData.ContosoCompanyId, longAgo, ("name", "Contoso Pharmaceuticals"), ("domain", "contoso.example"),
            ("industry", "CONSUMER_GOODS"), ("numberofemployees", "1200"), ("city", "Lyon"), ("country", "France"));

        Create(CrmObjectTypes.Contacts, SeedData.AdaContactId, longAgo, ("email", "ada@northwind.example"), ("firstname", "Ada"), ("lastname", "Lovelace"),
            ("phone", "+1 206 555 0101"), ("company", "Northwind Traders"), ("lifecyclestage", "customer"), ("hubspot_owner_id", SeedData.HumanOwnerId),
            ("associatedcompanyid", SeedData.NorthwindCompanyId));
        Create(CrmObjectTypes.Contacts, SeedData.GraceContactId, longAgo, ("email", "grace@contoso.example"), ("firstname", "Grace"), ("lastname", "Hopper"),
            ("phone", "+33 4 72 00 01 02"), ("company", "Contoso Pharmaceuticals"), ("lifecyclestage", "opportunity"), ("hubspot_owner_id", SeedData.HumanOwnerId),
            ("associatedcompanyid", SeedData.ContosoCompanyId));
        Create(CrmObjectTypes.Contacts, SeedData.AlanContactId, longAgo, ("email", "alan@example.org"), ("firstname", "Alan"), ("lastname", "Turing"),
            ("lifecyclestage", "lead"));

        Create(CrmObjectTypes.Deals, SeedData.NorthwindDealId, longAgo, ("dealname", "Northwind - Annual plan"), ("amount", "12000"),
            ("dealstage", "closedwon"), ("pipeline", "default"), ("closedate", "2025-11-30T00:00:00.000Z"), ("hubspot_owner_id", SeedData.HumanOwnerId));
        Create(CrmObjectTypes.Deals, SeedData.ContosoDealId, longAgo, ("dealname", "Contoso - Expansion"), ("amount", "4800"),
            ("dealstage", "contractsent"), ("pipeline", "default"), ("closedate", "2026-06-30T00:00:00.000Z"), ("hubspot_owner_id", SeedData.HumanOwnerId));

        Create(CrmObjectTypes.Tickets, SeedData.RefundTicketId, longAgo.AddDays(30), ("subject", "Refund for order #1042"),
            ("content", "The blender arrived broken; customer asked for a refund."), ("hs_pipeline", "0"), ("hs_pipeline_stage", "4"),
            ("hs_ticket_priority", "MEDIUM"), ("source_type", "EMAIL"), ("hubspot_owner_id", SeedData.HumanOwnerId));
        Create(CrmObjectTypes.Tickets, SeedData.LoginTicketId, longAgo.AddDays(45), ("subject", "Cannot log in to the customer portal"),
            ("content", "Password reset email never arrived."), ("hs_pipeline", "0"), ("hs_pipeline_stage", "4"),
            ("hs_ticket_priority", "HIGH"), ("source_type", "CHAT"), ("hubspot_owner_id", SeedData.HumanOwnerId));

        Associate(CrmObjectTypes.Contacts, SeedData.AdaContactId, CrmObjectTypes.Companies, SeedData.NorthwindCompanyId, 1);
        Associate(CrmObjectTypes.Contacts, SeedData.GraceContactId, CrmObjectTypes.Companies, SeedData.ContosoCompanyId, 1);
        Associate(CrmObjectTypes.Deals, SeedData.NorthwindDealId, CrmObjectTypes.Contacts, SeedData.AdaContactId, 3);
        Associate(CrmObjectTypes.Deals, SeedData.NorthwindDealId, CrmObjectTypes.Companies, SeedData.NorthwindCompanyId, 5);
        Associate(CrmObjectTypes.Deals, SeedData.ContosoDealId, CrmObjectTypes.Contacts, SeedData.GraceContactId, 3);
        Associate(CrmObjectTypes.Deals, SeedData.ContosoDealId, CrmObjectTypes.Companies, SeedData.ContosoCompanyId, 5);
        Associate(CrmObjectTypes.Tickets, SeedData.RefundTicketId, CrmObjectTypes.Contacts, SeedData.AdaContactId, 16);
        Associate(CrmObjectTypes.Tickets, SeedData.RefundTicketId, CrmObjectTypes.Companies, SeedData.NorthwindCompanyId, 26);
        Associate(CrmObjectTypes.Tickets, SeedData.LoginTicketId, CrmObjectTypes.Contacts, SeedData.GraceContactId, 16);
        Associate(CrmObjectTypes.Tickets, SeedData.LoginTicketId, CrmObjectTypes.Companies, SeedData.ContosoCompanyId, 26);
    }

    private void SeedInbox()
    {
        var created = time.GetUtcNow().AddDays(-365);
        var inboxId = SeedData.Id(options, SeedData.InboxId);
        var name = options.InboxName.EndsWith(" Support", StringComparison.Ordinal) ? options.InboxName[..^" Support".Length] : options.InboxName;
        conversations.AddInbox(
            new Inbox(inboxId, options.InboxName, "HELP_DESK", created),
            new ChannelAccount(SeedData.Id(options, SeedData.ChatChannelAccountId), ChannelIds.LiveChat, inboxId, $"{name} chat", null, created),
            new ChannelAccount(SeedData.Id(options, SeedData.EmailChannelAccountId), ChannelIds.Email, inboxId, $"{name} support email", options.SupportEmailAddress, created));
    }

    private void Create(string type, string id, DateTimeOffset createdAt, params (string Name, string Value)[] values) =>
        crm.Create(type, values.ToDictionary(v => v.Name, v => (string?)v.Value), id, createdAt);

    private void Associate(string from, string fromId, string to, string toId, int typeId) =>
        associations.Associate(from, fromId, to, toId, AssociationTypes.Find(from, to, typeId)!);
}
