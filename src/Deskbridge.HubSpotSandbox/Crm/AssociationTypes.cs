namespace Deskbridge.HubSpotSandbox.Crm;

/// <param name="Public">False for links the public CRM association APIs do not offer.</param>
public sealed record AssociationType(string From, string To, int TypeId, int InverseTypeId, string Name, string? Label, bool IsDefault, bool Public = true);

/// <summary>
/// HUBSPOT_DEFINED association type ids (official Node client's AssociationTypesEnum). HubSpot's specs and the client's
/// enums define no ticket↔conversation type: the sandbox keeps that link internally (HubSpot's help desk makes it and
/// the Conversations API shows it as threadAssociations) and refuses it on every public association path.
/// </summary>
public static class AssociationTypes
{
    public static readonly IReadOnlyList<AssociationType> All =
    [
        new(CrmObjectTypes.Contacts, CrmObjectTypes.Companies, 279, 280, "contact_to_company_unlabeled", null, true),
        new(CrmObjectTypes.Contacts, CrmObjectTypes.Companies, 1, 2, "contact_to_company", "Primary", false),
        new(CrmObjectTypes.Companies, CrmObjectTypes.Contacts, 280, 279, "company_to_contact_unlabeled", null, true),
        new(CrmObjectTypes.Companies, CrmObjectTypes.Contacts, 2, 1, "company_to_contact", "Primary", false),
        new(CrmObjectTypes.Contacts, CrmObjectTypes.Deals, 4, 3, "contact_to_deal", null, true),
        new(CrmObjectTypes.Deals, CrmObjectTypes.Contacts, 3, 4, "deal_to_contact", null, true),
        new(CrmObjectTypes.Contacts, CrmObjectTypes.Tickets, 15, 16, "contact_to_ticket", null, true),
        new(CrmObjectTypes.Tickets, CrmObjectTypes.Contacts, 16, 15, "ticket_to_contact", null, true),
        new(CrmObjectTypes.Tickets, CrmObjectTypes.Companies, 339, 340, "ticket_to_company_unlabeled", null, true),
        new(CrmObjectTypes.Tickets, CrmObjectTypes.Companies, 26, 25, "ticket_to_company", "Primary", false),
        new(CrmObjectTypes.Companies, CrmObjectTypes.Tickets, 340, 339, "company_to_ticket_unlabeled", null, true),
        new(CrmObjectTypes.Companies, CrmObjectTypes.Tickets, 25, 26, "company_to_ticket", "Primary", false),
        new(CrmObjectTypes.Tickets, CrmObjectTypes.Deals, 28, 27, "ticket_to_deal", null, true),
        new(CrmObjectTypes.Deals, CrmObjectTypes.Tickets, 27, 28, "deal_to_ticket", null, true),
        new(CrmObjectTypes.Deals, CrmObjectTypes.Companies, 341, 342, "deal_to_company_unlabeled", null, true),
        new(CrmObjectTypes.Deals, CrmObjectTypes.Companies, 5, 6, "deal_to_company", "Primary", false),
        new(CrmObjectTypes.Companies, CrmObjectTypes.Deals, 342, 341, "company_to_deal_unlabeled", null, true),
        new(CrmObjectTypes.Companies, CrmObjectTypes.Deals, 6, 5, "company_to_deal", "Primary", false),
        new(CrmObjectTypes.Tickets, CrmObjectTypes.Conversations, 32, 31, "ticket_to_conversation", null, true, Public: false),
        new(CrmObjectTypes.Conversations, CrmObjectTypes.Tickets, 31, 32, "conversation_to_ticket", null, true, Public: false),
    ];

    /// <summary>The link HubSpot makes between a help-desk thread and its ticket.</summary>
    public static AssociationType TicketToThread => All.Single(t => t.From == CrmObjectTypes.Tickets && t.To == CrmObjectTypes.Conversations);

    /// <summary>Any stored link's type, the internal ones included.</summary>
    public static AssociationType Of(string from, string to, int typeId) =>
        All.First(t => t.From == from && t.To == to && t.TypeId == typeId);

    public static AssociationType? Find(string from, string to, int typeId) =>
        All.FirstOrDefault(t => t.Public && t.From == from && t.To == to && t.TypeId == typeId);

    public static AssociationType? FindFrom(string from, int typeId) =>
        All.FirstOrDefault(t => t.Public && t.From == from && t.TypeId == typeId);

    public static AssociationType? Default(string from, string to) =>
        All.FirstOrDefault(t => t.Public && t.From == from && t.To == to && t.IsDefault);
}
