using System.Text.Json.Serialization;

namespace Deskbridge.HubSpot;

// CRM objects API shapes (contacts, companies, deals, tickets share them). Only the fields Deskbridge reads.

public sealed record HubSpotCrmObject(
    string Id,
    IReadOnlyDictionary<string, string?>? Properties,
    IReadOnlyDictionary<string, HubSpotAssociationList>? Associations)
{
    public string? Property(string name) => Properties?.GetValueOrDefault(name) is { Length: > 0 } value ? value : null;

    /// <summary>Ids of associated objects of one type (a pair can carry several association types, so ids repeat).</summary>
    public IReadOnlyList<string> AssociatedIds(string objectType) =>
        Associations?.GetValueOrDefault(objectType)?.Results.Select(r => r.Id).Distinct(StringComparer.Ordinal).ToList() ?? [];
}

public sealed record HubSpotAssociationList(IReadOnlyList<HubSpotAssociationRef> Results);

public sealed record HubSpotAssociationRef(string Id, string? Type);

public sealed record HubSpotSearchResults(int Total, IReadOnlyList<HubSpotCrmObject> Results);

/// <summary>Batch read answers 207 when some ids are gone; what was found is still in <see cref="Results"/>.</summary>
public sealed record HubSpotBatchResults(string? Status, IReadOnlyList<HubSpotCrmObject> Results);

public sealed record HubSpotPropertyDefinitions(IReadOnlyList<HubSpotPropertyDefinition> Results);

public sealed record HubSpotPropertyDefinition(string Name, string? Label, string? Type, bool Calculated, HubSpotPropertyModification? ModificationMetadata)
{
    public bool IsWritable => !Calculated && ModificationMetadata?.ReadOnlyValue != true;
}

public sealed record HubSpotPropertyModification(bool ReadOnlyValue);

/// <summary>Body of POST /crm/v3/objects/{type}. The spec requires associations, so an object without any sends [].</summary>
public sealed record HubSpotNewObject(IReadOnlyDictionary<string, string> Properties, [property: JsonIgnore] IReadOnlyList<HubSpotNewAssociation>? Associations = null)
{
    [JsonPropertyName("associations")]
    public IReadOnlyList<HubSpotNewAssociation> AssociationsToSend => Associations ?? [];
}

public sealed record HubSpotNewAssociation(HubSpotObjectRef To, IReadOnlyList<HubSpotAssociationSpec> Types)
{
    public static HubSpotNewAssociation Defined(string toId, int typeId) => new(new(toId), [new("HUBSPOT_DEFINED", typeId)]);
}

public sealed record HubSpotObjectRef(string Id);

public sealed record HubSpotAssociationSpec(string AssociationCategory, int AssociationTypeId);

/// <summary>HUBSPOT_DEFINED association type ids Deskbridge writes.</summary>
public static class HubSpotAssociationTypes
{
    public const int TicketToContact = 16;
}
