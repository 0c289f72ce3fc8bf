using System.Globalization;
using System.Text;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Inbox;

/// <summary>
/// Claims, renews and releases ordering-key leases (<see cref="InboxLease"/>), each for a whole scan's keys in one
/// statement: a lease costs two small writes per scan, not per event. The statements are plain SQL valid on SQLite and
/// PostgreSQL alike: the claim is an upsert that takes a row only when it is free, expired or already ours, and returns
/// the rows it took (<c>RETURNING</c>), so two instances racing for a key cannot both win (SQLite has one writer;
/// PostgreSQL's ON CONFLICT locks the row and checks the condition again). Like every background write they wait for
/// webhook ingress to be idle first (<see cref="IngressPriority"/>).
/// </summary>
public sealed class InboxLeases(InstanceIdentity instance, IngressPriority ingress, IOptions<ProcessingOptions> options, TimeProvider time)
{
    public string Owner => instance.Id;

    /// <returns>The keys that are ours now.</returns>
    public async Task<HashSet<(Guid OrganizationId, string OrderingKey)>> TryClaimAsync(DeskbridgeDb db,
        IReadOnlyCollection<(Guid OrganizationId, string OrderingKey)> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return [];
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var parameters = new List<object> { Owner, now + (long)options.Value.LeaseDuration.TotalMilliseconds, now };
        var sql = new StringBuilder("""INSERT INTO "InboxLeases" ("OrganizationId", "OrderingKey", "Owner", "ExpiresAt") VALUES """);
        foreach (var (organizationId, orderingKey) in keys)
        {
            sql.Append(parameters.Count == 3 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({{{parameters.Count}}}, {{{parameters.Count + 1}}}, {{0}}, {{1}})");
            parameters.Add(organizationId);
            parameters.Add(orderingKey);
        }
        sql.Append("""
             ON CONFLICT ("OrganizationId", "OrderingKey") DO UPDATE SET "Owner" = excluded."Owner", "ExpiresAt" = excluded."ExpiresAt"
             WHERE "InboxLeases"."ExpiresAt" < {2} OR "InboxLeases"."Owner" = {0}
             RETURNING "OrganizationId", "OrderingKey"
            """);
        await ingress.WhenIdleAsync(ct);
        var taken = await db.Database.SqlQueryRaw<LeaseKey>(sql.ToString(), [.. parameters]).ToListAsync(ct);
        return [.. taken.Select(t => (t.OrganizationId, t.OrderingKey))];
    }

    /// <returns>False when the lease is no longer ours (it expired and another instance took it).</returns>
    public async Task<bool> RenewAsync(DeskbridgeDb db, Guid organizationId, string orderingKey, CancellationToken ct)
    {
        var expires = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)options.Value.LeaseDuration.TotalMilliseconds;
        var owner = Owner;
        return await db.InboxLeases
            .Where(l => l.OrganizationId == organizationId && l.OrderingKey == orderingKey && l.Owner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, expires), ct) == 1;
    }

    /// <summary>Gives the keys back (only those still ours: a lease another instance took over stays its).</summary>
    public async Task ReleaseAsync(DeskbridgeDb db, IReadOnlyCollection<(Guid OrganizationId, string OrderingKey)> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return;
        }
        var parameters = new List<object> { Owner };
        var sql = new StringBuilder("""DELETE FROM "InboxLeases" WHERE "Owner" = {0} AND (""");
        foreach (var (organizationId, orderingKey) in keys)
        {
            sql.Append(parameters.Count == 1 ? "" : " OR ").Append(CultureInfo.InvariantCulture, $"(\"OrganizationId\" = {{{parameters.Count}}} AND \"OrderingKey\" = {{{parameters.Count + 1}}})");
            parameters.Add(organizationId);
            parameters.Add(orderingKey);
        }
        sql.Append(')');
        await ingress.WhenIdleAsync(ct);
        await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, ct);
    }

    private sealed class LeaseKey
    {
        public Guid OrganizationId { get; set; }
        public required string OrderingKey { get; set; }
    }
}
