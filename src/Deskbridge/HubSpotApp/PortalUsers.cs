using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Organizations;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.HubSpotApp;

/// <summary>A HubSpot user the AI can answer as: the owner's user id (what A-… takes), name and e-mail.</summary>
public sealed record PortalUser(long UserId, string Name, string? Email);

/// <summary>U2: the portal's users (owners API) to choose the AI user from, on both paths; the choice is checked against HubSpot.</summary>
public sealed class PortalUsers(DeskbridgeDb db, HubSpotClient hubSpot, SecretProtector secrets, HubSpotAddressPolicy addresses, OrganizationDirectory directory)
{
    private const int MaxPages = 20;

    /// <summary>The connected portal's users, by name; null with the reason when they cannot be listed.</summary>
    public async Task<(IReadOnlyList<PortalUser>? Users, string? Problem)> ListAsync(Guid organizationId, CancellationToken ct)
    {
        ProcessingContext? context;
        try
        {
            (_, context) = await ProcessingContext.LoadAsync(db, secrets, addresses, organizationId, ct);
        }
        catch (HubSpotException ex)
        {
            return (null, ex.Error.Message);
        }
        if (context is null)
        {
            return (null, "Not connected to HubSpot.");
        }

        var users = new List<PortalUser>();
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var result = await hubSpot.ListOwnersAsync(context.Portal, after, ct);
            if (result.Error is { } error)
            {
                return (null, error.Kind == HubSpotErrorKind.MissingScopes
                    ? "HubSpot's users cannot be listed: the connection lacks crm.objects.owners.read."
                    : $"HubSpot's users could not be listed: {error}.");
            }
            // Owners without a user id (a team's inbox, say) cannot send messages.
            users.AddRange(result.Value!.Results.Where(o => o.UserId is > 0 && !o.Archived)
                .Select(o => new PortalUser(o.UserId!.Value, $"{o.FirstName} {o.LastName}".Trim() is { Length: > 0 } name ? name : o.Email ?? $"User {o.UserId}", o.Email)));
            after = result.Value.Paging?.Next?.After;
            if (after is null)
            {
                break;
            }
        }
        return ([.. users.OrderBy(u => u.Name, StringComparer.CurrentCultureIgnoreCase)], null);
    }

    /// <summary>Makes <paramref name="userId"/> the AI user once HubSpot confirms the portal has that user; the problem otherwise.</summary>
    public async Task<string?> ChooseAsync(Guid organizationId, long userId, CancellationToken ct)
    {
        var (users, problem) = await ListAsync(organizationId, ct);
        if (users is null)
        {
            return problem;
        }
        if (users.All(u => u.UserId != userId))
        {
            return $"The portal has no user with ID {userId}. Choose one from the list.";
        }
        var updated = await db.Connections.Where(c => c.OrganizationId == organizationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.DefaultUserId, userId), ct);
        directory.Invalidate(organizationId);
        return updated == 1 ? null : "Not connected to HubSpot.";
    }
}
