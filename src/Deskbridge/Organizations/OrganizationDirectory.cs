using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Deskbridge.Organizations;

/// <summary>
/// What the webhook endpoint needs to know about an organization, cached so that accepting a batch costs one
/// database transaction and nothing more. Anything that changes these values calls <see cref="Invalidate"/>.
/// </summary>
public sealed class OrganizationDirectory(IServiceScopeFactory scopes, SecretProtector secrets, IMemoryCache cache)
{
    // Invalidate reaches only this instance's cache. A change made through another instance (a rotation, a new client
    // secret, a disconnect, another portal) is seen here within this time: one indexed read per organization every few
    // seconds is nothing beside the webhook traffic it serves, and needs no change feed between instances.
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(3);

    public async ValueTask<WebhookIdentity?> FindAsync(Guid organizationId, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(organizationId), out WebhookIdentity? known))
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var row = await db.Organizations.AsNoTracking()
            .Where(o => o.Id == organizationId)
            .Select(o => new
            {
                o.WebhookKeyGeneration,
                o.WebhookKeyRotatedAt,
                ClientSecret = db.Connections.Where(c => c.OrganizationId == o.Id).Select(c => c.EncryptedClientSecret).FirstOrDefault(),
                PortalId = db.Connections.Where(c => c.OrganizationId == o.Id).Select(c => (long?)c.PortalId).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct);
        var identity = row is null ? null : new WebhookIdentity(
            organizationId,
            row.WebhookKeyGeneration,
            row.WebhookKeyRotatedAt,
            row.ClientSecret is null ? null : secrets.Unprotect(row.ClientSecret),
            row.PortalId);
        cache.Set(Key(organizationId), identity, Lifetime);
        return identity;
    }

    public void Invalidate(Guid organizationId) => cache.Remove(Key(organizationId));

    private static (string, Guid) Key(Guid organizationId) => ("webhook-identity", organizationId);
}

/// <param name="PortalId">The connected HubSpot portal; null while the organization has no connection.</param>
public sealed record WebhookIdentity(Guid OrganizationId, int Generation, DateTimeOffset? RotatedAt, string? ClientSecret, long? PortalId = null)
{
    /// <summary>W1: the current URL always; the previous one until the grace period after its rotation ends.</summary>
    public bool Accepts(int generation, DateTimeOffset now, TimeSpan grace) =>
        generation == Generation ||
        (generation == Generation - 1 && RotatedAt is { } rotated && now - rotated < grace);
}
