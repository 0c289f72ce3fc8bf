namespace Deskbridge.HubSpot;

/// <summary>Property definitions: read one, and create the custom ones Deskbridge writes (the handoff tag).</summary>
public sealed partial class HubSpotClient
{
    public Task<HubSpotResult<HubSpotPropertyDefinition>> GetPropertyAsync(HubSpotPortal portal, string objectType, string name, CancellationToken ct) =>
        SendAsync<HubSpotPropertyDefinition>(portal, HttpMethod.Get, $"crm/v3/properties/{Escape(objectType)}/{Escape(name)}", null, ct);

    /// <summary>A 409 means it exists already (another instance or a person created it first).</summary>
    public Task<HubSpotResult<HubSpotPropertyDefinition>> CreatePropertyAsync(HubSpotPortal portal, string objectType, HubSpotNewProperty property, CancellationToken ct) =>
        SendAsync<HubSpotPropertyDefinition>(portal, HttpMethod.Post, $"crm/v3/properties/{Escape(objectType)}", property, ct);
}

/// <summary>Body of POST /crm/v3/properties/{objectType} (HubSpot's PropertyCreate).</summary>
public sealed record HubSpotNewProperty(
    string Name, string Label, string Type, string FieldType, string GroupName, string Description, IReadOnlyList<HubSpotNewPropertyOption> Options);

public sealed record HubSpotNewPropertyOption(string Label, string Value, bool Hidden, int DisplayOrder);
