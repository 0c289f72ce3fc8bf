namespace Deskbridge.HubSpotSandbox.Crm;

/// <summary>
/// Property definitions per object type: the common HubSpot-defined ones, plus custom ones created through the properties
/// API (or the admin API). Archived definitions leave the live list, as HubSpot moves them to its recycling bin.
/// </summary>
public sealed class PropertyCatalog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<PropertyDefinition>> _definitions = [];
    private readonly Dictionary<string, List<PropertyDefinition>> _archived = [];
    private readonly Dictionary<string, HashSet<string>> _groups = [];

    public PropertyCatalog() => Reset();

    public void Reset()
    {
        lock (_lock)
        {
            _definitions.Clear();
            _archived.Clear();
            _groups.Clear();
            foreach (var (type, definitions) in SeedProperties.All())
            {
                _definitions[type] = [.. definitions];
                _groups[type] = [.. definitions.Select(d => d.GroupName).Where(g => g.Length > 0)];
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

    public IReadOnlyList<PropertyDefinition> Archived(string objectType)
    {
        lock (_lock)
        {
            return _archived.TryGetValue(objectType, out var list) ? [.. list] : [];
        }
    }

    /// <summary>The property groups of an object type (HubSpot's defaults).</summary>
    public IReadOnlyCollection<string> Groups(string objectType)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(objectType, out var groups) ? [.. groups.Order(StringComparer.Ordinal)] : [];
        }
    }

    /// <summary>False when a live property of that name exists already.</summary>
    public bool TryAdd(string objectType, PropertyDefinition definition)
    {
        lock (_lock)
        {
            if (!_definitions.TryGetValue(objectType, out var list))
            {
                list = [];
                _definitions[objectType] = list;
            }

            if (list.Any(p => p.Name == definition.Name))
            {
                return false;
            }

            list.Add(definition);
            _archived.GetValueOrDefault(objectType)?.RemoveAll(p => p.Name == definition.Name);
            return true;
        }
    }

    public void Archive(string objectType, string name)
    {
        lock (_lock)
        {
            if (_definitions.TryGetValue(objectType, out var list) && list.FirstOrDefault(p => p.Name == name) is { } definition)
            {
                list.Remove(definition);
                if (!_archived.TryGetValue(objectType, out var archived))
                {
                    archived = [];
                    _archived[objectType] = archived;
                }

                archived.Add(definition with { Archived = true });
            }
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
