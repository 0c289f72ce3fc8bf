namespace Deskbridge.HubSpot;

/// <summary>CRM calls for handoff sync (H2–H5): contacts, companies, deals, tickets and ticket property definitions.</summary>
public sealed partial class HubSpotClient
{
    public Task<HubSpotResult<HubSpotSearchResults>> SearchContactsByEmailAsync(HubSpotPortal portal, string email, IReadOnlyList<string> properties, CancellationToken ct) =>
        SendAsync<HubSpotSearchResults>(portal, HttpMethod.Post, "crm/v3/objects/contacts/search", new
        {
            filterGroups = new[] { new { filters = new[] { new { propertyName = "email", @operator = "EQ", value = email } } } },
            properties,
            // The spec marks sorts and after required as well; the first page starts at "0".
            sorts = Array.Empty<string>(),
            limit = 1,
            after = "0",
        }, ct);

    /// <summary>A 409 means the contact exists already (another writer won a race); its id is in <see cref="HubSpotError.ExistingObjectId"/>.</summary>
    public Task<HubSpotResult<HubSpotCrmObject>> CreateContactAsync(HubSpotPortal portal, IReadOnlyDictionary<string, string> properties, CancellationToken ct) =>
        SendAsync<HubSpotCrmObject>(portal, HttpMethod.Post, "crm/v3/objects/contacts", new HubSpotNewObject(properties), ct);

    public Task<HubSpotResult<HubSpotCrmObject>> GetObjectAsync(
        HubSpotPortal portal, string objectType, string id, IReadOnlyList<string> properties, IReadOnlyList<string> associations, CancellationToken ct)
    {
        var query = $"properties={Escape(string.Join(',', properties))}";
        if (associations.Count > 0)
        {
            query += $"&associations={Escape(string.Join(',', associations))}";
        }
        return SendAsync<HubSpotCrmObject>(portal, HttpMethod.Get, $"crm/v3/objects/{objectType}/{Escape(id)}?{query}", null, ct);
    }

    /// <summary>Up to 100 ids per call (HubSpot's limit).</summary>
    public Task<HubSpotResult<HubSpotBatchResults>> BatchReadAsync(
        HubSpotPortal portal, string objectType, IReadOnlyList<string> ids, IReadOnlyList<string> properties, CancellationToken ct) =>
        SendAsync<HubSpotBatchResults>(portal, HttpMethod.Post, $"crm/v3/objects/{objectType}/batch/read", new
        {
            inputs = ids.Take(100).Select(id => new { id }).ToList(),
            properties,
            propertiesWithHistory = Array.Empty<string>(),
        }, ct);

    public Task<HubSpotResult<HubSpotCrmObject>> CreateTicketAsync(HubSpotPortal portal, HubSpotNewObject ticket, CancellationToken ct) =>
        SendAsync<HubSpotCrmObject>(portal, HttpMethod.Post, "crm/v3/objects/tickets", ticket, ct);

    public Task<HubSpotResult<HubSpotCrmObject>> UpdateTicketAsync(HubSpotPortal portal, string ticketId, IReadOnlyDictionary<string, string> properties, CancellationToken ct) =>
        SendAsync<HubSpotCrmObject>(portal, HttpMethod.Patch, $"crm/v3/objects/tickets/{Escape(ticketId)}", new { properties }, ct);

    public Task<HubSpotResult<HubSpotPropertyDefinitions>> GetTicketPropertiesAsync(HubSpotPortal portal, CancellationToken ct) =>
        SendAsync<HubSpotPropertyDefinitions>(portal, HttpMethod.Get, "crm/v3/properties/tickets", null, ct);
}
