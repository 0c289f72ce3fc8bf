namespace Deskbridge.HubSpotSandbox.Crm;

public sealed record AssociationLink(string FromType, string FromId, string ToType, string ToId, int TypeId);

public sealed record AssociatedObject(string ToId, IReadOnlyList<AssociationType> Types);

/// <summary>Associations between CRM records and conversation threads. Every link is stored in both
/// directions with the inverse type id, as HubSpot does.</summary>
public sealed class AssociationStore
{
    private readonly Lock _lock = new();
    private readonly HashSet<AssociationLink> _links = [];

    /// <summary>Adds the link and its inverse. A labelled (primary) type also gets the default unlabeled one.</summary>
    public IReadOnlyList<AssociationLink> Associate(string fromType, string fromId, string toType, string toId, AssociationType type)
    {
        var added = new List<AssociationLink>();
        lock (_lock)
        {
            AddPair(fromType, fromId, toType, toId, type, added);
            if (!type.IsDefault && AssociationTypes.Default(fromType, toType) is { } unlabeled)
            {
                AddPair(fromType, fromId, toType, toId, unlabeled, added);
            }
        }

        return added;
    }

    public void AssociateDefault(string fromType, string fromId, string toType, string toId)
    {
        if (AssociationTypes.Default(fromType, toType) is { } type)
        {
            Associate(fromType, fromId, toType, toId, type);
        }
    }

    public int RemoveAll(string fromType, string fromId, string toType, string toId)
    {
        lock (_lock)
        {
            return _links.RemoveWhere(l =>
                (l.FromType == fromType && l.FromId == fromId && l.ToType == toType && l.ToId == toId)
                || (l.FromType == toType && l.FromId == toId && l.ToType == fromType && l.ToId == fromId));
        }
    }

    public IReadOnlyList<AssociatedObject> Associated(string fromType, string fromId, string toType)
    {
        lock (_lock)
        {
            return [.. _links
                .Where(l => l.FromType == fromType && l.FromId == fromId && l.ToType == toType)
                .GroupBy(l => l.ToId)
                .OrderBy(g => long.TryParse(g.Key, out var n) ? n : long.MaxValue)
                .Select(g => new AssociatedObject(g.Key, [.. g.Select(l => AssociationTypes.Of(fromType, toType, l.TypeId)).OrderBy(t => t.IsDefault)]))];
        }
    }

    public IReadOnlyList<string> AssociatedIds(string fromType, string fromId, string toType) =>
        [.. Associated(fromType, fromId, toType).Select(a => a.ToId)];

    public void Clear()
    {
        lock (_lock)
        {
            _links.Clear();
        }
    }

    private void AddPair(string fromType, string fromId, string toType, string toId, AssociationType type, List<AssociationLink> added)
    {
        var forward = new AssociationLink(fromType, fromId, toType, toId, type.TypeId);
        if (_links.Add(forward))
        {
            added.Add(forward);
        }

        var inverse = new AssociationLink(toType, toId, fromType, fromId, type.InverseTypeId);
        if (_links.Add(inverse))
        {
            added.Add(inverse);
        }
    }
}
