using Deskbridge.HubSpotSandbox.Auth;

namespace Deskbridge.HubSpotSandbox.Crm;

/// <summary>Object type names as they appear in CRM paths, normalised to HubSpot's plural form.</summary>
public static class CrmObjectTypes
{
    public const string Contacts = "contacts";
    public const string Companies = "companies";
    public const string Deals = "deals";
    public const string Tickets = "tickets";

    /// <summary>Conversation threads, which only take part in associations here.</summary>
    public const string Conversations = "conversations";

    public static readonly IReadOnlyList<string> Records = [Contacts, Companies, Deals, Tickets];

    public static string? Normalize(string? value) => value?.ToLowerInvariant() switch
    {
        "contacts" or "contact" or "0-1" => Contacts,
        "companies" or "company" or "0-2" => Companies,
        "deals" or "deal" or "0-3" => Deals,
        "tickets" or "ticket" or "0-5" => Tickets,
        "conversations" or "conversation" or "threads" or "thread" => Conversations,
        _ => null,
    };

    public static string Singular(string type) => type switch
    {
        Companies => "company",
        Conversations => "conversation",
        _ => type.TrimEnd('s'),
    };

    public static string ObjectTypeId(string type) => type switch
    {
        Contacts => "0-1",
        Companies => "0-2",
        Deals => "0-3",
        Tickets => "0-5",
        _ => type,
    };

    public static string ReadScope(string type) => type switch
    {
        Contacts => Scopes.ContactsRead,
        Companies => Scopes.CompaniesRead,
        Deals => Scopes.DealsRead,
        Conversations => Scopes.ConversationsRead,
        _ => Scopes.Tickets,
    };

    public static string WriteScope(string type) => type switch
    {
        Contacts => Scopes.ContactsWrite,
        Companies => Scopes.CompaniesWrite,
        Deals => Scopes.DealsWrite,
        Conversations => Scopes.ConversationsWrite,
        _ => Scopes.Tickets,
    };
}
