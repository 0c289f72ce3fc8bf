using System.Security.Cryptography;
using Deskbridge.Accounts;
using Deskbridge.Handoff;
using Deskbridge.HubSpot;
using Deskbridge.Organizations;
using Deskbridge.Storage;
using Deskbridge.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.HubSpotApp;

/// <summary>The end of an install: the organization it was for (to show its settings), or what went wrong, in words a person can act on.</summary>
public sealed record InstallOutcome(Guid? OrganizationId, string? Problem, long? PortalId = null);

/// <summary>
/// "Install in HubSpot": the authorize URL with the app's scopes and a state bound to the organization and the signed-in
/// person, then the callback that checks the state (Data Protection, 10 minutes, single use through a stored nonce),
/// exchanges the code, finds the portal by introspecting the token and stores the tokens encrypted.
/// </summary>
public sealed class HubSpotAppInstaller(
    DeskbridgeDb db, IDataProtectionProvider protection, HubSpotOAuthClient oauth, HubSpotClient hubSpot, SecretProtector secrets,
    IOptions<HubSpotAppOptions> app, IOptions<HubSpotOptions> hubSpotOptions, IOptions<WebhookOptions> webhooks, OrganizationDirectory directory,
    HubSpotAppTokens tokens, HandoffTag handoffTag, OrganizationAccess access, TimeProvider time)
{
    public const string CallbackPath = "hubspot/oauth/callback";
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    private ITimeLimitedDataProtector StateProtector => protection.CreateProtector("Deskbridge.HubSpotApp.InstallState.v1").ToTimeLimitedDataProtector();

    /// <summary>The scopes the install URL asks for: the operator's list, or the required scopes (S4).</summary>
    public IReadOnlyList<string> Scopes => app.Value.Scopes.Length > 0 ? app.Value.Scopes : RequiredScopes.All;

    /// <summary>The redirect URL registered in the app: configured, or the public address + <see cref="CallbackPath"/>.</summary>
    public Uri RedirectUri(HttpRequest request) =>
        app.Value.RedirectUri is { Length: > 0 } configured
            ? new Uri(configured)
            : new Uri(webhooks.Value.PublicBaseUrl ?? new Uri($"{request.Scheme}://{request.Host}/"), CallbackPath);

    public async Task<Uri> StartAsync(Guid organizationId, string personId, HttpRequest request, CancellationToken ct)
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var now = time.GetUtcNow();
        // Expired states nobody came back with: cleared as new ones are made, so the table stays small.
        var nowMs = now.ToUnixTimeMilliseconds();
        await db.HubSpotAppInstallStates.Where(s => s.ExpiresAtMs < nowMs).ExecuteDeleteAsync(ct);
        db.HubSpotAppInstallStates.Add(new HubSpotAppInstallState
        {
            Nonce = nonce, OrganizationId = organizationId, PersonId = personId, ExpiresAtMs = (now + StateLifetime).ToUnixTimeMilliseconds(),
        });
        await db.SaveChangesAsync(ct);
        var state = StateProtector.Protect($"{organizationId:N}|{personId}|{nonce}", StateLifetime);
        var query = $"client_id={Uri.EscapeDataString(app.Value.ClientId!)}&redirect_uri={Uri.EscapeDataString(RedirectUri(request).ToString())}" +
            $"&scope={Uri.EscapeDataString(string.Join(' ', Scopes))}&state={Uri.EscapeDataString(state)}";
        return new UriBuilder(hubSpotOptions.Value.AuthorizeUrl) { Query = query }.Uri;
    }

    public async Task<InstallOutcome> CompleteAsync(string? code, string? state, string? error, System.Security.Claims.ClaimsPrincipal user, HttpRequest request,
        CancellationToken ct)
    {
        if (string.IsNullOrEmpty(state))
        {
            return new(null, "The answer from HubSpot carries no state. Start the install again from the organization's HubSpot settings.");
        }
        string payload;
        try
        {
            payload = StateProtector.Unprotect(state);
        }
        catch (CryptographicException)
        {
            return new(null, "This install link has expired (it lasts 10 minutes) or was not made by Deskbridge. Start the install again from the organization's HubSpot settings.");
        }
        var parts = payload.Split('|');
        if (parts.Length != 3 || !Guid.TryParseExact(parts[0], "N", out var organizationId))
        {
            return new(null, "This install link is not one Deskbridge made. Start the install again.");
        }
        var (personId, nonce) = (parts[1], parts[2]);
        if (OrganizationAccess.PersonId(user) != personId)
        {
            return new(organizationId, "This install was started by someone else. Sign in as the person who started it, or start it again yourself.");
        }
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        // Single use, across instances: only one request can delete the row.
        var consumed = await db.HubSpotAppInstallStates
            .Where(s => s.Nonce == nonce && s.OrganizationId == organizationId && s.PersonId == personId && s.ExpiresAtMs >= nowMs)
            .ExecuteDeleteAsync(ct);
        if (consumed != 1)
        {
            return new(organizationId, "This install link was used already. Start the install again if the app is not connected.");
        }
        if (!string.IsNullOrEmpty(error))
        {
            return new(organizationId, $"HubSpot did not install the app ({error}): nothing was changed.");
        }
        if ((await access.RoleAsync(user, organizationId, ct))?.CanManage() != true)
        {
            return new(organizationId, "Only the organization's owners and admins may install the HubSpot app.");
        }
        if (string.IsNullOrEmpty(code))
        {
            return new(organizationId, "HubSpot's answer carries no code. Start the install again.");
        }

        // The token's lifetime counts from before the exchange (see HubSpotAppTokens).
        var requestedAt = time.GetUtcNow();
        var (granted, exchangeFailure) = await oauth.ExchangeCodeAsync(code, RedirectUri(request).ToString(), ct);
        if (granted is null)
        {
            return new(organizationId, $"HubSpot did not exchange the code for tokens ({exchangeFailure}). Start the install again.");
        }
        var (info, introspectionFailure) = await oauth.IntrospectAsync(granted.AccessToken, ct);
        if (info is null)
        {
            await oauth.RevokeAsync(granted.RefreshToken, ct);
            return new(organizationId, $"HubSpot did not say which portal the app was installed in ({introspectionFailure}). Start the install again.");
        }
        var taken = await db.HubSpotAppGrants.AsNoTracking()
            .Where(g => g.PortalId == info.HubId && g.OrganizationId != organizationId).Select(g => (Guid?)g.OrganizationId).FirstOrDefaultAsync(ct);
        if (taken is not null)
        {
            // App webhooks are routed by portal: one portal can belong to one organization only.
            await oauth.RevokeAsync(granted.RefreshToken, ct);
            return new(organizationId, $"Portal {info.HubId} is connected to another Deskbridge organization through the app already. Uninstall it there first.", info.HubId);
        }

        await SaveAsync(organizationId, personId, granted, info, requestedAt, ct);
        return new(organizationId, null, info.HubId);
    }

    private async Task SaveAsync(Guid organizationId, string personId, OAuthTokens granted, OAuthTokenInfo info, DateTimeOffset issuedAt, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var portal = new HubSpotPortal(info.HubId, granted.AccessToken, null);
        var account = await hubSpot.GetAccountDetailsAsync(portal, ct);
        var missing = RequiredScopes.All.Where(s => !info.Scopes.Contains(s, StringComparer.Ordinal)).ToList();
        if (!missing.Contains("tickets"))
        {
            await handoffTag.EnsureAsync(portal, ct);
        }

        var grant = await db.HubSpotAppGrants.SingleOrDefaultAsync(g => g.OrganizationId == organizationId, ct);
        if (grant is not null && secrets.Unprotect(grant.EncryptedRefreshToken) is var previous && previous != granted.RefreshToken)
        {
            // A re-install: the old grant is not needed any more.
            await oauth.RevokeAsync(previous, ct);
        }
        if (grant is null)
        {
            grant = new HubSpotAppGrant { OrganizationId = organizationId, EncryptedAccessToken = "", EncryptedRefreshToken = "" };
            db.HubSpotAppGrants.Add(grant);
        }
        grant.PortalId = info.HubId;
        grant.EncryptedAccessToken = secrets.Protect(granted.AccessToken);
        grant.EncryptedRefreshToken = secrets.Protect(granted.RefreshToken);
        grant.AccessTokenIssuedAtMs = issuedAt.ToUnixTimeMilliseconds();
        grant.AccessTokenExpiresAtMs = (issuedAt + TimeSpan.FromSeconds(granted.ExpiresIn)).ToUnixTimeMilliseconds();
        grant.Generation++;
        grant.RefreshClaimedUntilMs = 0;
        grant.InstalledByHubSpotUserId = info.UserId;
        grant.InstalledByPersonId = personId;
        grant.Scopes = string.Join(' ', info.Scopes);
        grant.InstalledAt = now;

        var connection = await db.Connections.SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);
        if (connection is null)
        {
            connection = new HubSpotConnection { OrganizationId = organizationId, EncryptedAccessToken = "", TokenLast4 = "" };
            db.Connections.Add(connection);
        }
        // The AI user is kept when the same portal is installed again; on a new portal it is chosen from the list next.
        connection.DefaultUserId = connection.PortalId == info.HubId ? connection.DefaultUserId : 0;
        // The connection's own token is only the install's first one: calls for an app installation take the current one (HubSpotAppTokens).
        connection.EncryptedAccessToken = grant.EncryptedAccessToken;
        connection.TokenLast4 = granted.AccessToken[^4..];
        // App webhooks are checked with the app's client secret, not a per-organization one.
        connection.EncryptedClientSecret = null;
        connection.PortalId = info.HubId;
        connection.Region = account.Value?.DataHostingLocation ?? "na1";
        connection.ApiBaseUrl = null;
        connection.MissingScopes = missing.Count == 0 ? null : string.Join(' ', missing);
        connection.ConnectedAt = now;
        connection.LastVerifiedAt = now;
        await db.SaveChangesAsync(ct);
        tokens.Forget(organizationId);
        directory.Invalidate(organizationId);
    }

    /// <summary>S9 for the app: the refresh token is revoked at HubSpot (which ends the installation), then erased here.</summary>
    public async Task<bool> UninstallAsync(Guid organizationId, CancellationToken ct)
    {
        var grant = await db.HubSpotAppGrants.AsNoTracking().SingleOrDefaultAsync(g => g.OrganizationId == organizationId, ct);
        if (grant is null)
        {
            return false;
        }
        // Erased even when HubSpot cannot be reached: a disconnect must not keep credentials. HubSpot ends the grant itself on uninstall.
        await oauth.RevokeAsync(secrets.Unprotect(grant.EncryptedRefreshToken), ct);
        await db.HubSpotAppGrants.Where(g => g.OrganizationId == organizationId).ExecuteDeleteAsync(ct);
        tokens.Forget(organizationId);
        return true;
    }
}
