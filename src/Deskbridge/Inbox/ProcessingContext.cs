using Deskbridge.HubSpot;
using Deskbridge.Organizations;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Inbox;

/// <summary>The organization an event belongs to, with its HubSpot connection ready to call.</summary>
public sealed record ProcessingContext(Organization Organization, HubSpotConnection Connection, HubSpotPortal Portal)
{
    public string AiActorId => Connection.AiActorId;

    /// <exception cref="HubSpotException">The saved API address is one the operator no longer allows: the token is not sent there.</exception>
    public static async Task<(Organization?, ProcessingContext?)> LoadAsync(
        DeskbridgeDb db, SecretProtector secrets, HubSpotAddressPolicy addresses, Guid organizationId, CancellationToken ct)
    {
        // One statement for the three things every event needs (it was three round trips per event).
        var loaded = await db.Organizations
            .Where(o => o.Id == organizationId)
            .Select(o => new
            {
                Organization = o,
                Connection = db.Connections.SingleOrDefault(c => c.OrganizationId == o.Id),
                // Through the OAuth app, the app's auth handler puts the installation's current token on each call.
                ViaApp = db.HubSpotAppGrants.Any(g => g.OrganizationId == o.Id),
            })
            .SingleOrDefaultAsync(ct);
        var organization = loaded?.Organization;
        var connection = loaded?.Connection;
        if (organization is null || connection is null)
        {
            return (organization, null);
        }

        if (addresses.Problem(connection.ApiBaseUrl) is { } refused)
        {
            throw new HubSpotException(new HubSpotError(HubSpotErrorKind.BadRequest, null,
                $"Not called: the organization's saved API address is not allowed by the operator ({refused}). Save the credentials again.", []));
        }

        var viaApp = loaded!.ViaApp;
        var portal = new HubSpotPortal(
            connection.PortalId,
            secrets.Unprotect(connection.EncryptedAccessToken),
            connection.ApiBaseUrl is null ? null : new Uri(connection.ApiBaseUrl)) { AppInstallation = viaApp ? organizationId : null };
        return (organization, new ProcessingContext(organization, connection, portal));
    }
}
