using Deskbridge.HubSpot;
using Microsoft.Extensions.Caching.Memory;

namespace Deskbridge.Handoff;

/// <summary>User id to HubSpot owner (what <c>hubspot_owner_id</c> takes). Owners rarely change; every handoff needs one.</summary>
public sealed class OwnerDirectory(HubSpotClient hubSpot, IMemoryCache cache)
{
    private static readonly TimeSpan Expiry = TimeSpan.FromMinutes(10);

    public async Task<HubSpotResult<HubSpotOwner>> ByUserIdAsync(HubSpotPortal portal, long userId, CancellationToken ct)
    {
        var key = (nameof(OwnerDirectory), portal.PortalId, portal.ApiBaseUrl, userId);
        if (cache.TryGetValue(key, out HubSpotOwner? owner) && owner is not null)
        {
            return HubSpotResult<HubSpotOwner>.Ok(owner);
        }
        var result = await hubSpot.GetOwnerByUserIdAsync(portal, userId, ct);
        if (result.IsSuccess)
        {
            cache.Set(key, result.Value, Expiry);
        }
        return result;
    }
}
