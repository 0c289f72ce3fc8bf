namespace Deskbridge.HubSpotSandbox.Tests.Infrastructure;

/// <summary>Request bodies with every field HubSpot's specs mark required, so a test changes only what it is about.</summary>
public static class SpecBodies
{
    /// <summary>PublicObjectSearchRequest: after, filterGroups, limit, properties and sorts are required.</summary>
    public static object Search(object[]? filterGroups = null, int limit = 10, string after = "0", string[]? properties = null) =>
        new { filterGroups = filterGroups ?? [], properties = properties ?? [], sorts = Array.Empty<string>(), limit, after };

    /// <summary>SimplePublicObjectInputForCreate: properties and associations are required.</summary>
    public static object Create(object properties, object[]? associations = null) => new { properties, associations = associations ?? [] };

    /// <summary>BatchReadInputSimplePublicObjectId: inputs, properties and propertiesWithHistory are required.</summary>
    public static object BatchRead(string[] ids, string[] properties) =>
        new { inputs = ids.Select(id => new { id }).ToArray(), properties, propertiesWithHistory = Array.Empty<string>() };
}
