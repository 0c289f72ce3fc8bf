using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Organizations;

/// <summary>
/// Erases an organization's HubSpot credentials; sessions and the event log are kept, new events are recorded as
/// "organization disconnected". Called by the API and the dashboard.
/// </summary>
public sealed class Disconnection(DeskbridgeDb db, OrganizationDirectory directory, HubSpotApp.HubSpotAppInstaller app)
{
    /// <returns>Whether there was a connection to remove.</returns>
    public async Task<bool> DisconnectAsync(Guid organizationId, CancellationToken ct)
    {
        // Through the OAuth app: the refresh token is revoked at HubSpot and the grant erased first.
        var uninstalled = await app.UninstallAsync(organizationId, ct);
        var removed = await db.Connections.Where(c => c.OrganizationId == organizationId).ExecuteDeleteAsync(ct);
        // Always: a cached client secret must not outlive the row even if another call removed it first.
        directory.Invalidate(organizationId);
        return removed > 0 || uninstalled;
    }
}
