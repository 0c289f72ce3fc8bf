using System.Collections.Concurrent;

namespace Deskbridge.Inbox;

/// <summary>
/// C9: organizations whose HubSpot portal has an open circuit, and until when. The inbox leaves their events alone
/// meanwhile (no attempt is spent, no worker held); they are eligible again, in order per thread, once the break ends.
/// </summary>
public sealed class ParkedOrganizations(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _parked = new();

    public void Park(Guid organizationId, DateTimeOffset until) =>
        _parked.AddOrUpdate(organizationId, until, (_, earlier) => until > earlier ? until : earlier);

    /// <summary>The organizations parked now, and the earliest time one of them is released.</summary>
    public (List<Guid> Organizations, DateTimeOffset? NextRelease) Now()
    {
        var now = time.GetUtcNow();
        var organizations = new List<Guid>();
        DateTimeOffset? next = null;
        foreach (var (organization, until) in _parked)
        {
            if (until <= now)
            {
                _parked.TryRemove(new KeyValuePair<Guid, DateTimeOffset>(organization, until));
                continue;
            }
            organizations.Add(organization);
            next = next is { } n && n < until ? n : until;
        }
        return (organizations, next);
    }
}
