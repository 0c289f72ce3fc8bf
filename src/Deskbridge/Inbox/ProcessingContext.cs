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
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        var connection = organization is null ? null : await db.Connections.SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);
        if (organization is null || connection is null)
        {
            return (organization, null);
        }

        if (addresses.Problem(connection.ApiBaseUrl) is { } refused)
        {
            throw new HubSpotException(new HubSpotError(HubSpotErrorKind.BadRequest, null,
                $"Not called: the organization's saved API address is not allowed by the operator ({refused}). Save the credentials again.", []));
        }

        // Through the OAuth app, the app's auth handler puts the installation's current token on each call.
        var viaApp = await db.HubSpotAppGrants.AnyAsync(g => g.OrganizationId == organizationId, ct);
        var portal = new HubSpotPortal(
            connection.PortalId,
            secrets.Unprotect(connection.EncryptedAccessToken),
            connection.ApiBaseUrl is null ? null : new Uri(connection.ApiBaseUrl)) { AppInstallation = viaApp ? organizationId : null };
        return (organization, new ProcessingContext(organization, connection, portal));
    }
}
