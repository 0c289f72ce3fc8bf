namespace Deskbridge.HubSpotSandbox.Crm;

public sealed record PropertyOption(string Label, string Value, int DisplayOrder = 0, bool Hidden = false);

public sealed record PropertyModificationMetadata(bool Archivable, bool ReadOnlyDefinition, bool ReadOnlyValue);

/// <summary>A CRM property definition in HubSpot's properties-API shape.</summary>
public sealed record PropertyDefinition
{
    public required string Name { get; init; }
    public required string Label { get; init; }
    public string Type { get; init; } = "string";
    public string FieldType { get; init; } = "text";
    public string Description { get; init; } = "";
    public string GroupName { get; init; } = "";
    public IReadOnlyList<PropertyOption> Options { get; init; } = [];
    public int DisplayOrder { get; init; } = -1;
    public bool Calculated { get; init; }
    public bool ExternalOptions { get; init; }
    public bool HasUniqueValue { get; init; }
    public bool Hidden { get; init; }
    public bool HubspotDefined { get; init; } = true;
    public bool FormField { get; init; }
    public bool Archived { get; init; }
    public PropertyModificationMetadata ModificationMetadata { get; init; } = new(true, false, false);

    public bool IsReadOnlyValue => ModificationMetadata.ReadOnlyValue;
}
