namespace Deskbridge.HubSpotSandbox.Crm;

/// <summary>Property definitions per object type: the common HubSpot-defined ones plus custom ones added through the admin API.</summary>
public sealed class PropertyCatalog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<PropertyDefinition>> _definitions = [];

    public PropertyCatalog() => Reset();

    public void Reset()
    {
        lock (_lock)
        {
            _definitions.Clear();
            foreach (var (type, definitions) in SeedProperties.All())
            {
                _definitions[type] = [.. definitions];
            }
        }
    }

    public IReadOnlyList<PropertyDefinition> For(string objectType)
    {
        lock (_lock)
        {
            return _definitions.TryGetValue(objectType, out var list) ? [.. list] : [];
        }
    }

    public PropertyDefinition? Find(string objectType, string name)
    {
        lock (_lock)
        {
            return _definitions.TryGetValue(objectType, out var list) ? list.FirstOrDefault(p => p.Name == name) : null;
        }
    }

    /// <summary>Adds or replaces a (custom) property definition.</summary>
    public void Upsert(string objectType, PropertyDefinition definition)
    {
        lock (_lock)
        {
            if (!_definitions.TryGetValue(objectType, out var list))
            {
                list = [];
                _definitions[objectType] = list;
            }

            list.RemoveAll(p => p.Name == definition.Name);
            list.Add(definition);
        }
    }
}
