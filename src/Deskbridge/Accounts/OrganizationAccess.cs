using System.Security.Claims;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Accounts;

/// <summary>S1: who the caller is and what role they hold in an organization.</summary>
public sealed class OrganizationAccess(DeskbridgeDb db)
{
    public static bool IsOperator(ClaimsPrincipal user) => user.HasClaim(AccessClaims.Operator, "true");

    public static bool IsApiKey(ClaimsPrincipal user) => user.HasClaim(c => c.Type == AccessClaims.ApiKey);

    /// <summary>The signed-in person's user id (null for keys and anonymous callers).</summary>
    public static string? PersonId(ClaimsPrincipal user) =>
        user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == IdentityConstants.ApplicationScheme)
            ? user.FindFirstValue(ClaimTypes.NameIdentifier)
            : null;

    /// <summary>The caller's role in the organization, or null when the caller may not see it at all.</summary>
    public async Task<OrganizationRole?> RoleAsync(ClaimsPrincipal user, Guid organizationId, CancellationToken ct)
    {
        if (IsOperator(user))
        {
            return OrganizationRole.Owner;
        }
        if (IsApiKey(user))
        {
            return user.FindFirstValue(AccessClaims.Organization) == organizationId.ToString()
                && Enum.TryParse<OrganizationRole>(user.FindFirstValue(AccessClaims.Role), out var keyRole) ? keyRole : null;
        }
        if (PersonId(user) is { } userId)
        {
            var membership = await db.Memberships.AsNoTracking()
                .SingleOrDefaultAsync(m => m.UserId == userId && m.OrganizationId == organizationId, ct);
            return membership?.Role;
        }
        return null;
    }

    /// <summary>The organizations the caller can open: all for the operator, the key's own, or the person's memberships.</summary>
    public async Task<List<(Organizations.Organization Organization, OrganizationRole Role)>> VisibleAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (IsOperator(user))
        {
            var all = await db.Organizations.AsNoTracking().OrderBy(o => o.Name).ToListAsync(ct);
            return all.Select(o => (o, OrganizationRole.Owner)).ToList();
        }
        if (IsApiKey(user))
        {
            var id = Guid.Parse(user.FindFirstValue(AccessClaims.Organization)!);
            var role = Enum.Parse<OrganizationRole>(user.FindFirstValue(AccessClaims.Role)!);
            var own = await db.Organizations.AsNoTracking().Where(o => o.Id == id).ToListAsync(ct);
            return own.Select(o => (o, role)).ToList();
        }
        if (PersonId(user) is { } userId)
        {
            var rows = await (from m in db.Memberships.AsNoTracking()
                              join o in db.Organizations.AsNoTracking() on m.OrganizationId equals o.Id
                              where m.UserId == userId
                              orderby o.Name
                              select new { o, m.Role }).ToListAsync(ct);
            return rows.Select(r => (r.o, r.Role)).ToList();
        }
        return [];
    }
}
