using System.Text.Json;
using System.Text.Json.Serialization;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Crm;

public sealed record AssociationRef(string Id, string Type);

public sealed record AssociationsBlock(IReadOnlyList<AssociationRef> Results);

/// <summary>A CRM object as HubSpot's objects API returns it.</summary>
public sealed record CrmObjectDto(
    string Id,
    IReadOnlyDictionary<string, string?> Properties,
    string CreatedAt,
    string UpdatedAt,
    bool Archived,
    IReadOnlyDictionary<string, AssociationsBlock>? Associations = null);

public sealed record AssociationTarget([property: JsonConverter(typeof(FlexibleStringConverter))] string? Id);

public sealed record AssociationSpec(string? AssociationCategory, int AssociationTypeId);

public sealed record AssociationInput(AssociationTarget? To, IReadOnlyList<AssociationSpec>? Types);

public sealed record CrmWriteRequest(Dictionary<string, JsonElement>? Properties, IReadOnlyList<AssociationInput>? Associations);

public sealed record BatchReadInput([property: JsonConverter(typeof(FlexibleStringConverter))] string? Id);

public sealed record BatchReadRequest(IReadOnlyList<BatchReadInput>? Inputs, IReadOnlyList<string>? Properties, string? IdProperty);

public sealed record BatchResponse<T>(string Status, IReadOnlyList<T> Results, string StartedAt, string CompletedAt, int? NumErrors = null, IReadOnlyList<BatchError>? Errors = null);

/// <summary>The spec's StandardError: status, category, message, context, errors and links are all required.</summary>
public sealed record BatchError(
    string Status, string Category, string Message, IReadOnlyDictionary<string, IReadOnlyList<string>> Context,
    IReadOnlyList<HubSpotErrorDetail> Errors, IReadOnlyDictionary<string, string> Links)
{
    public static BatchError NotFound(string message, IReadOnlyList<string> ids) =>
        new("error", "OBJECT_NOT_FOUND", message, new Dictionary<string, IReadOnlyList<string>> { ["ids"] = ids }, [], new Dictionary<string, string>());
}

internal static class CrmDtoMapper
{
    private static readonly IReadOnlyDictionary<string, string[]> DefaultProperties = new Dictionary<string, string[]>
    {
        [CrmObjectTypes.Contacts] = ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
        [CrmObjectTypes.Companies] = ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
        [CrmObjectTypes.Deals] = ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"],
        [CrmObjectTypes.Tickets] = ["content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject"],
    };

    public static IReadOnlyList<string>? ParseList(string? csv) =>
        string.IsNullOrWhiteSpace(csv) ? null : [.. csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Reads return the requested properties (null when unset) plus the basic ones, or the type's defaults.</summary>
    public static CrmObjectDto ForRead(CrmRecord record, IReadOnlyList<string>? requested, AssociationStore? associations = null, IReadOnlyList<string>? associationTypes = null)
    {
        var names = requested is { Count: > 0 }
            ? requested.Concat(["hs_object_id", "createdate", CrmStore.LastModifiedProperty(record.ObjectType)]).Distinct()
            : DefaultProperties.GetValueOrDefault(record.ObjectType) ?? [];
        var properties = names.ToDictionary(n => n, record.Property, StringComparer.Ordinal);
        return ToDto(record, properties, associations, associationTypes);
    }

    /// <summary>Creates and updates echo every stored property.</summary>
    public static CrmObjectDto ForWrite(CrmRecord record) =>
        ToDto(record, record.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value), null, null);

    private static CrmObjectDto ToDto(CrmRecord record, Dictionary<string, string?> properties, AssociationStore? store, IReadOnlyList<string>? associationTypes)
    {
        Dictionary<string, AssociationsBlock>? blocks = null;
        if (store is not null && associationTypes is { Count: > 0 })
        {
            blocks = [];
            foreach (var requested in associationTypes)
            {
                var toType = CrmObjectTypes.Normalize(requested);
                if (toType is null)
                {
                    continue;
                }

                var refs = store.Associated(record.ObjectType, record.Id, toType)
                    .SelectMany(a => a.Types.Select(t => new AssociationRef(a.ToId, t.Name)))
                    .ToList();
                if (refs.Count > 0)
                {
                    blocks[toType] = new AssociationsBlock(refs);
                }
            }
        }

        return new CrmObjectDto(record.Id, properties, HubSpotTime.Iso(record.CreatedAt), HubSpotTime.Iso(record.UpdatedAt), record.Archived, blocks);
    }
}
