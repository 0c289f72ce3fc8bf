using System.Collections.Concurrent;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.HubSpotApp;

/// <summary>The app's access token could not be had: a 401 (the grant is gone: uninstalled, revoked) or a 503 (HubSpot unreachable).</summary>
public sealed class HubSpotAppTokenException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>
/// The current access token of each organization's app installation. It is refreshed ahead of its expiry (a quarter of
/// its lifetime before it, at most 5 minutes: HubSpot's 30-minute tokens are refreshed at 25 minutes) and once more when
/// HubSpot answers 401 with it. One refresh at a time per installation: in this process a per-installation gate, across
/// instances on one database a claim row (<see cref="HubSpotAppGrant.RefreshClaimedUntilMs"/>, set by a conditional
/// UPDATE that only one instance can win); the others keep using the still-valid token, or wait for the winner's new one.
/// The new token is written only if the generation read is still the stored one, so a slow refresher never overwrites a newer token.
/// HubSpot keeps the refresh token the same across refreshes and several access tokens valid at once, so a second
/// refresh after a lost claim would be harmless, only wasted.
/// </summary>
public sealed partial class HubSpotAppTokens(IServiceScopeFactory scopes, SecretProtector secrets, TimeProvider time, ILogger<HubSpotAppTokens> logger)
{
    private static readonly TimeSpan MaxRefreshLead = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ClaimDuration = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WaitStep = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<Guid, Current> _current = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _gates = new();
    private long _refreshes;

    /// <summary>Refreshes this process has made (all installations): the load test reads it.</summary>
    public long Refreshes => Interlocked.Read(ref _refreshes);

    private sealed record Current(string Token, long IssuedAtMs, long ExpiresAtMs, int Generation)
    {
        public bool DueAt(long nowMs) => nowMs >= ExpiresAtMs - Math.Min((long)MaxRefreshLead.TotalMilliseconds, (ExpiresAtMs - IssuedAtMs) / 4);

        public bool ValidAt(long nowMs) => nowMs < ExpiresAtMs - 1_000;
    }

    public async Task<string> AccessTokenAsync(Guid organizationId, CancellationToken ct)
    {
        var now = NowMs();
        if (_current.TryGetValue(organizationId, out var current))
        {
            if (!current.DueAt(now))
            {
                return current.Token;
            }
            // Due but still valid while another call refreshes: use it, do not queue behind the refresh.
            if (current.ValidAt(now) && Gate(organizationId).CurrentCount == 0)
            {
                return current.Token;
            }
        }
        return await RefreshAsync(organizationId, rejected: null, ct);
    }

    /// <summary>HubSpot refused <paramref name="rejected"/> (401): a new token, or the newer one another call already got.</summary>
    public Task<string> AfterUnauthorizedAsync(Guid organizationId, string rejected, CancellationToken ct) => RefreshAsync(organizationId, rejected, ct);

    /// <summary>After an install, reconnect or disconnect: the next call reads the stored grant.</summary>
    public void Forget(Guid organizationId) => _current.TryRemove(organizationId, out _);

    private SemaphoreSlim Gate(Guid organizationId) => _gates.GetOrAdd(organizationId, _ => new SemaphoreSlim(1, 1));

    private async Task<string> RefreshAsync(Guid organizationId, string? rejected, CancellationToken ct)
    {
        var gate = Gate(organizationId);
        await gate.WaitAsync(ct);
        try
        {
            // Another call in this process refreshed while this one waited.
            if (_current.TryGetValue(organizationId, out var known) && known.Token != rejected && !known.DueAt(NowMs()))
            {
                return known.Token;
            }

            var deadline = NowMs() + (long)(ClaimDuration * 1.5).TotalMilliseconds;
            while (true)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
                var grant = await db.HubSpotAppGrants.AsNoTracking().SingleOrDefaultAsync(g => g.OrganizationId == organizationId, ct)
                    ?? throw new HubSpotAppTokenException(StatusCodes.Status401Unauthorized, "The HubSpot app is not installed for this organization any more.");
                var stored = new Current(secrets.Unprotect(grant.EncryptedAccessToken), grant.AccessTokenIssuedAtMs, grant.AccessTokenExpiresAtMs, grant.Generation);
                var now = NowMs();
                // Another instance refreshed: its token is the current one.
                if (stored.Token != rejected && !stored.DueAt(now))
                {
                    _current[organizationId] = stored;
                    return stored.Token;
                }

                var claimed = await db.HubSpotAppGrants
                    .Where(g => g.OrganizationId == organizationId && g.Generation == grant.Generation && g.RefreshClaimedUntilMs < now)
                    .ExecuteUpdateAsync(s => s.SetProperty(g => g.RefreshClaimedUntilMs, now + (long)ClaimDuration.TotalMilliseconds), ct);
                if (claimed == 1)
                {
                    return await RefreshClaimedAsync(db, scope.ServiceProvider.GetRequiredService<HubSpotOAuthClient>(), grant, ct);
                }

                // Another instance holds the claim: its refresh is under way.
                if (stored.Token != rejected && stored.ValidAt(now))
                {
                    _current[organizationId] = stored;
                    return stored.Token;
                }
                if (now > deadline)
                {
                    throw new HubSpotAppTokenException(StatusCodes.Status503ServiceUnavailable, "Waited too long for another instance to refresh the HubSpot app's access token.");
                }
                await Task.Delay(WaitStep, time, ct);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<string> RefreshClaimedAsync(DeskbridgeDb db, HubSpotOAuthClient oauth, HubSpotAppGrant grant, CancellationToken ct)
    {
        // The lifetime counts from before the request: HubSpot's clock started when it answered, not when the answer arrived.
        var requestedAt = NowMs();
        var (tokens, failure) = await oauth.RefreshAsync(secrets.Unprotect(grant.EncryptedRefreshToken), ct);
        if (tokens is null)
        {
            await db.HubSpotAppGrants.Where(g => g.OrganizationId == grant.OrganizationId && g.Generation == grant.Generation)
                .ExecuteUpdateAsync(s => s.SetProperty(g => g.RefreshClaimedUntilMs, 0L), CancellationToken.None);
            LogRefreshFailed(logger, grant.OrganizationId, grant.PortalId, failure!.ToString());
            throw failure!.GrantGone
                ? new HubSpotAppTokenException(StatusCodes.Status401Unauthorized,
                    $"HubSpot no longer accepts the app's refresh token (the app was uninstalled from portal {grant.PortalId}, or its access revoked): {failure.Message}. Install it again.")
                : new HubSpotAppTokenException(StatusCodes.Status503ServiceUnavailable, $"The HubSpot app's access token could not be refreshed: {failure}.");
        }

        var issued = requestedAt;
        var fresh = new Current(tokens.AccessToken, issued, issued + tokens.ExpiresIn * 1000, grant.Generation + 1);
        var accessProtected = secrets.Protect(tokens.AccessToken);
        var refreshProtected = secrets.Protect(tokens.RefreshToken);
        var written = await db.HubSpotAppGrants
            .Where(g => g.OrganizationId == grant.OrganizationId && g.Generation == grant.Generation)
            .ExecuteUpdateAsync(s => s
                .SetProperty(g => g.EncryptedAccessToken, accessProtected)
                .SetProperty(g => g.EncryptedRefreshToken, refreshProtected)
                .SetProperty(g => g.AccessTokenIssuedAtMs, fresh.IssuedAtMs)
                .SetProperty(g => g.AccessTokenExpiresAtMs, fresh.ExpiresAtMs)
                .SetProperty(g => g.Generation, fresh.Generation)
                .SetProperty(g => g.RefreshClaimedUntilMs, 0L), CancellationToken.None);
        Interlocked.Increment(ref _refreshes);
        LogRefreshed(logger, grant.OrganizationId, grant.PortalId, tokens.ExpiresIn);
        // Written = 0: the claim ran out and another instance stored a newer token; this one is valid too (HubSpot keeps both).
        if (written == 1)
        {
            _current[grant.OrganizationId] = fresh;
        }
        return fresh.Token;
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(Level = LogLevel.Information, Message = "Refreshed the HubSpot app's access token for organization {OrganizationId} (portal {PortalId}); it expires in {ExpiresIn} s")]
    private static partial void LogRefreshed(ILogger logger, Guid organizationId, long portalId, long expiresIn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the HubSpot app's access token for organization {OrganizationId} (portal {PortalId}): {Problem}")]
    private static partial void LogRefreshFailed(ILogger logger, Guid organizationId, long portalId, string problem);
}
