namespace Deskbridge.HubSpotSandbox.Auth;

/// <summary>Scope names as HubSpot spells them.</summary>
public static class Scopes
{
    public const string ContactsRead = "crm.objects.contacts.read";
    public const string ContactsWrite = "crm.objects.contacts.write";
    public const string CompaniesRead = "crm.objects.companies.read";
    public const string CompaniesWrite = "crm.objects.companies.write";
    public const string DealsRead = "crm.objects.deals.read";
    public const string DealsWrite = "crm.objects.deals.write";
    public const string OwnersRead = "crm.objects.owners.read";
    public const string Tickets = "tickets";
    public const string ConversationsRead = "conversations.read";
    public const string ConversationsWrite = "conversations.write";
    public const string OAuth = "oauth";
    public const string Automation = "automation";

    /// <summary>Everything the demo token is granted: Deskbridge's required scopes plus oauth (account-info).</summary>
    public static readonly IReadOnlyList<string> Demo =
    [
        ContactsRead, ContactsWrite, CompaniesRead, DealsRead, OwnersRead, Tickets, ConversationsRead, ConversationsWrite, OAuth,
    ];
}
