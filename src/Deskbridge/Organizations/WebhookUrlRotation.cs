using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Organizations;

/// <summary>W1: a new webhook URL (the previous one keeps working for a grace period). Called by the API and the dashboard.</summary>
public sealed class WebhookUrlRotation(DeskbridgeDb db, OrganizationDirectory directory, TimeProvider time)
{
    /// <returns>The organization with its new key generation; null when it does not exist.</returns>
    public async Task<Organization?> RotateAsync(Guid organizationId, CancellationToken ct)
    {
        // One UPDATE increments in SQL, so two rotations at once give two generations, not one lost update.
        var rotated = await db.Organizations.Where(o => o.Id == organizationId).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.WebhookKeyGeneration, o => o.WebhookKeyGeneration + 1)
            .SetProperty(o => o.WebhookKeyRotatedAt, time.GetUtcNow()), ct);
        if (rotated == 0)
        {
            return null;
        }
        directory.Invalidate(organizationId);
        return await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == organizationId, ct);
    }
}
