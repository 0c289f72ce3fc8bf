namespace Deskbridge.Organizations;

/// <summary>S4.</summary>
public static class RequiredScopes
{
    public static readonly IReadOnlyList<string> All =
    [
        "crm.objects.contacts.read",
        "crm.objects.contacts.write",
        "crm.objects.companies.read",
        "crm.objects.deals.read",
        "crm.objects.owners.read",
        "tickets",
        "conversations.read",
        "conversations.write",
    ];
}
