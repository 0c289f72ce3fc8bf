namespace Deskbridge.HubSpot;

/// <summary>I4: any CRM record's properties updated, and an object type's property definitions listed (the outcome properties).</summary>
public sealed partial class HubSpotClient
{
    public Task<HubSpotResult<HubSpotCrmObject>> UpdateObjectAsync(
        HubSpotPortal portal, string objectType, string id, IReadOnlyDictionary<string, string> properties, CancellationToken ct) =>
        SendAsync<HubSpotCrmObject>(portal, HttpMethod.Patch, $"crm/v3/objects/{Escape(objectType)}/{Escape(id)}", new { properties }, ct);

    public Task<HubSpotResult<HubSpotPropertyDefinitions>> GetPropertiesAsync(HubSpotPortal portal, string objectType, CancellationToken ct) =>
        SendAsync<HubSpotPropertyDefinitions>(portal, HttpMethod.Get, $"crm/v3/properties/{Escape(objectType)}", null, ct);
}
