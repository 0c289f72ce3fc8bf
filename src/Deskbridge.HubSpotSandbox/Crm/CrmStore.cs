using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Crm;

/// <summary>Contacts, companies, deals and tickets. Validation happens in <see cref="CrmValidator"/>; this store only keeps state.</summary>
public sealed class CrmStore(TimeProvider time, SandboxOptions options)
{
    private const long FirstGeneratedId = 1001;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, CrmRecord>> _records = [];
    private readonly IdSequence _ids = new(FirstGeneratedId + options.IdOffset);

    public CrmRecord Create(string objectType, IReadOnlyDictionary<string, string?> properties, string? id = null, DateTimeOffset? createdAt = null)
    {
        var now = createdAt ?? time.GetUtcNow();
        id ??= _ids.Next();
        var values = new Dictionary<string, string?>(properties, StringComparer.Ordinal)
        {
            ["hs_object_id"] = id,
            ["createdate"] = HubSpotTime.Iso(now),
            [LastModifiedProperty(objectType)] = HubSpotTime.Iso(now),
        };
        var record = new CrmRecord(id, objectType, values, now, now, false);
        lock (_lock)
        {
            Table(objectType)[id] = record;
        }

        return record;
    }

    public CrmRecord? Find(string objectType, string id)
    {
        lock (_lock)
        {
            return Table(objectType).TryGetValue(id, out var record) && !record.Archived ? record : null;
        }
    }

    public CrmRecord? FindByProperty(string objectType, string property, string value)
    {
        lock (_lock)
        {
            return Table(objectType).Values.FirstOrDefault(r => !r.Archived && string.Equals(r.Property(property), value, StringComparison.OrdinalIgnoreCase));
        }
    }

    public IReadOnlyList<CrmRecord> All(string objectType)
    {
        lock (_lock)
        {
            return [.. Table(objectType).Values.Where(r => !r.Archived).OrderBy(r => long.Parse(r.Id, System.Globalization.CultureInfo.InvariantCulture))];
        }
    }

    /// <summary>Applies the values and returns the properties whose value actually changed.</summary>
    public (CrmRecord Record, IReadOnlyList<PropertyChange> Changes)? Update(string objectType, string id, IReadOnlyDictionary<string, string?> properties)
    {
        lock (_lock)
        {
            if (!Table(objectType).TryGetValue(id, out var existing) || existing.Archived)
            {
                return null;
            }

            var now = time.GetUtcNow();
            var values = new Dictionary<string, string?>(existing.Properties, StringComparer.Ordinal);
            var changes = new List<PropertyChange>();
            foreach (var (name, value) in properties)
            {
                var normalized = string.IsNullOrEmpty(value) ? null : value;
                if (values.GetValueOrDefault(name) != normalized)
                {
                    values[name] = normalized;
                    changes.Add(new PropertyChange(name, normalized));
                }
            }

            values[LastModifiedProperty(objectType)] = HubSpotTime.Iso(now);
            var updated = existing with { Properties = values, UpdatedAt = now };
            Table(objectType)[id] = updated;
            return (updated, changes);
        }
    }

    public bool Archive(string objectType, string id)
    {
        lock (_lock)
        {
            if (!Table(objectType).TryGetValue(id, out var existing) || existing.Archived)
            {
                return false;
            }

            Table(objectType)[id] = existing with { Archived = true, UpdatedAt = time.GetUtcNow() };
            return true;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _records.Clear();
            _ids.Reset();
        }
    }

    public static string LastModifiedProperty(string objectType) =>
        objectType == CrmObjectTypes.Contacts ? "lastmodifieddate" : "hs_lastmodifieddate";

    private Dictionary<string, CrmRecord> Table(string objectType)
    {
        if (!_records.TryGetValue(objectType, out var table))
        {
            table = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);
            _records[objectType] = table;
        }

        return table;
    }
}
