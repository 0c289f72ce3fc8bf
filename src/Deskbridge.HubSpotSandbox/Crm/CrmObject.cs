namespace Deskbridge.HubSpotSandbox.Crm;

/// <summary>An immutable snapshot of a CRM record; property values are strings, as in HubSpot.</summary>
public sealed record CrmRecord(string Id, string ObjectType, IReadOnlyDictionary<string, string?> Properties, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool Archived)
{
    public string? Property(string name) => Properties.GetValueOrDefault(name);
}

public sealed record PropertyChange(string Name, string? Value);
