using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Inbox;

/// <summary>
/// Claims, renews and releases ordering-key leases (<see cref="InboxLease"/>). The claim is the one statement written by
/// hand, kept valid on SQLite and PostgreSQL alike: an upsert that takes the row only when it is free, expired or already
/// ours, so two instances racing for a key cannot both win (SQLite serializes writers; PostgreSQL's ON CONFLICT locks the row).
/// </summary>
public sealed class InboxLeases(InstanceIdentity instance, IOptions<ProcessingOptions> options, TimeProvider time)
{
    public string Owner => instance.Id;

    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<bool> TryClaimAsync(DeskbridgeDb db, Guid organizationId, string orderingKey, CancellationToken ct)
    {
        var now = NowMs;
        var expires = now + (long)options.Value.LeaseDuration.TotalMilliseconds;
        var owner = Owner;
        var claimed = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "InboxLeases" ("OrganizationId", "OrderingKey", "Owner", "ExpiresAt") VALUES ({organizationId}, {orderingKey}, {owner}, {expires})
            ON CONFLICT ("OrganizationId", "OrderingKey") DO UPDATE SET "Owner" = excluded."Owner", "ExpiresAt" = excluded."ExpiresAt"
            WHERE "InboxLeases"."ExpiresAt" < {now} OR "InboxLeases"."Owner" = {owner}
            """, ct);
        return claimed == 1;
    }

    /// <returns>False when the lease is no longer ours (it expired and another instance took it).</returns>
    public async Task<bool> RenewAsync(DeskbridgeDb db, Guid organizationId, string orderingKey, CancellationToken ct)
    {
        var expires = NowMs + (long)options.Value.LeaseDuration.TotalMilliseconds;
        var owner = Owner;
        return await db.InboxLeases
            .Where(l => l.OrganizationId == organizationId && l.OrderingKey == orderingKey && l.Owner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, expires), ct) == 1;
    }

    public Task ReleaseAsync(DeskbridgeDb db, Guid organizationId, string orderingKey, CancellationToken ct)
    {
        var owner = Owner;
        return db.InboxLeases
            .Where(l => l.OrganizationId == organizationId && l.OrderingKey == orderingKey && l.Owner == owner)
            .ExecuteDeleteAsync(ct);
    }
}
