using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Portals;
using Deskbridge.HubSpotSandbox.Webhooks;

namespace Deskbridge.HubSpotSandbox.OAuth;

public sealed record OAuthAppCreate(
    long? AppId, string? ClientId, string? ClientSecret, string? Name, IReadOnlyList<string>? RedirectUris, IReadOnlyList<string>? Scopes,
    IReadOnlyList<string>? OptionalScopes, int? AccessTokenLifetimeSeconds, string? WebhookTargetUrl,
    IReadOnlyList<PortalSubscription>? Subscriptions);

/// <summary>
/// The sandbox's authorization server: public apps, authorization codes, refresh tokens and installations. Access tokens
/// are put into the installed portal's <see cref="TokenStore"/> (with their expiry), so every public endpoint accepts them
/// as it accepts a private-app token, and the portal is found from the token alone.
/// </summary>
public sealed class OAuthApps(SandboxOptions options, PortalRegistry portals, TimeProvider time, ILoggerFactory loggers) : IAsyncDisposable
{
    /// <summary>HubSpot: "Access tokens expire after 30 minutes" (expires_in 1800).</summary>
    public static readonly TimeSpan HubSpotAccessTokenLifetime = TimeSpan.FromMinutes(30);

    /// <summary>Codes are exchanged right after the redirect; the sandbox gives them 10 minutes (HubSpot does not publish a figure).</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<long, OAuthApp> _apps = new();
    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly ConcurrentDictionary<(long AppId, string Grant), int> _grants = new();
    private long _created;

    public IReadOnlyList<OAuthApp> All => [.. _apps.Values.OrderBy(a => a.AppId)];

    public OAuthApp? Find(long appId) => _apps.GetValueOrDefault(appId);

    public OAuthApp? FindByClientId(string? clientId) =>
        clientId is null ? null : _apps.Values.FirstOrDefault(a => string.Equals(a.ClientId, clientId, StringComparison.Ordinal));

    /// <summary>Portals that installed the app (a live refresh token), for its app-level webhooks.</summary>
    public IReadOnlyList<long> InstalledPortals(long appId) =>
        [.. _refreshTokens.Values.Where(r => r.AppId == appId).Select(r => r.PortalId).Distinct().Order()];

    public IEnumerable<OAuthApp> InstalledIn(long portalId)
    {
        var appIds = _refreshTokens.Values.Where(r => r.PortalId == portalId).Select(r => r.AppId).ToHashSet();
        return _apps.Values.Where(a => appIds.Contains(a.AppId));
    }

    public async Task<(OAuthApp? App, string? Error, bool Conflict)> CreateAsync(OAuthAppCreate request, CancellationToken ct)
    {
        if (request.RedirectUris is not { Count: > 0 } redirects || redirects.Any(r => !Uri.TryCreate(r, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
        {
            return (null, "redirectUris must hold at least one absolute http(s) URL", false);
        }
        if (request.Scopes is { } scopes && scopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Contains(' ', StringComparison.Ordinal)))
        {
            return (null, "scopes must be scope names without spaces", false);
        }
        if (request.AccessTokenLifetimeSeconds is < 1)
        {
            return (null, "accessTokenLifetimeSeconds must be at least 1", false);
        }
        if (request.WebhookTargetUrl is { } target && (!Uri.TryCreate(target, UriKind.Absolute, out var t) || t.Scheme is not ("http" or "https")))
        {
            return (null, $"webhookTargetUrl must be an absolute http(s) URL, was \"{target}\"", false);
        }
        foreach (var subscription in request.Subscriptions ?? [])
        {
            if (WebhooksV3Api.Validate(subscription.EventType, subscription.PropertyName) is { } error)
            {
                return (null, error, false);
            }
        }

        await _changes.WaitAsync(ct);
        try
        {
            var number = ++_created;
            var appId = request.AppId ?? options.AppId + 500_000 + number;
            if (_apps.ContainsKey(appId) || portals.FindByAppId(appId) is not null)
            {
                return (null, $"App {appId} exists already", true);
            }
            var clientId = request.ClientId ?? Guid.NewGuid().ToString();
            if (FindByClientId(clientId) is not null)
            {
                return (null, $"Client id {clientId} belongs to another app", true);
            }

            var appOptions = options.Clone();
            appOptions.AppId = appId;
            appOptions.ClientSecret = request.ClientSecret ?? Guid.NewGuid().ToString();
            appOptions.WebhookTargetUrl = request.WebhookTargetUrl;
            appOptions.Subscriptions = request.Subscriptions?.Select(s => (s.EventType!, s.PropertyName)).ToList();
            appOptions.SeedSampleRecords = false;
            appOptions.IdOffset = 0;
            var services = await StartContainerAsync(appOptions, ct);
            var app = new OAuthApp(appId, clientId, appOptions.ClientSecret, request.Name ?? $"Sandbox app {appId.ToString(CultureInfo.InvariantCulture)}",
                [.. redirects], [.. request.Scopes ?? [Scopes.OAuth]], [.. request.OptionalScopes ?? []],
                request.AccessTokenLifetimeSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : HubSpotAccessTokenLifetime, appOptions, services);
            _apps[appId] = app;
            return (app, null, false);
        }
        finally
        {
            _changes.Release();
        }
    }

    public AuthorizationCode IssueCode(OAuthApp app, SandboxPortal portal, long userId, string userEmail, string redirectUri, IReadOnlyList<string> scopes)
    {
        var code = new AuthorizationCode(Guid.NewGuid().ToString(), app.AppId, portal.PortalId, userId, userEmail, redirectUri, scopes,
            time.GetUtcNow() + CodeLifetime);
        _codes[code.Code] = code;
        return code;
    }

    /// <summary>Takes a code out (single use): a second exchange of the same code finds nothing.</summary>
    public AuthorizationCode? RedeemCode(string code) => _codes.TryRemove(code, out var found) ? found : null;

    public RefreshGrant IssueRefreshToken(AuthorizationCode code, string region)
    {
        var grant = new RefreshGrant($"{region}-{Guid.NewGuid()}", code.AppId, code.PortalId, code.UserId, code.UserEmail, code.Scopes, time.GetUtcNow());
        _refreshTokens[grant.Token] = grant;
        return grant;
    }

    /// <summary>Counts token grants per app and grant type (the admin view shows them; refresh tests count refreshes).</summary>
    public void CountGrant(long appId, string grantType) => _grants.AddOrUpdate((appId, grantType), 1, (_, n) => n + 1);

    public IReadOnlyDictionary<string, int> Grants(long appId) =>
        _grants.Where(g => g.Key.AppId == appId).ToDictionary(g => g.Key.Grant, g => g.Value, StringComparer.Ordinal);

    /// <summary>Ends every access token of the app now (a test of what a client does on 401 EXPIRED_AUTHENTICATION).</summary>
    public int ExpireAccessTokens(long appId) => portals.All.Sum(p => p.Tokens.ExpireApp(appId, time.GetUtcNow()));

    public RefreshGrant? FindRefreshToken(string token) => _refreshTokens.GetValueOrDefault(token);

    public bool RevokeRefreshToken(string token) => _refreshTokens.TryRemove(token, out _);

    /// <summary>A new access token for a grant, valid in its portal for the app's lifetime.</summary>
    public AccessToken IssueAccessToken(OAuthApp app, SandboxPortal portal, long userId, IReadOnlyList<string> scopes)
    {
        var now = time.GetUtcNow();
        // HubSpot's access tokens are opaque and up to ~300 characters; ours are shorter but just as opaque.
        var token = new AccessToken(
            $"C{portal.Options.Region.ToUpperInvariant()}{Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '-').Replace('/', '_').TrimEnd('=')}",
            new HashSet<string>(scopes, StringComparer.Ordinal), userId, now, now + app.AccessTokenLifetime, app.AppId);
        portal.Tokens.Add(token);
        return token;
    }

    /// <summary>The account removes the app: every refresh token of the app in that portal, and its access tokens, stop working.</summary>
    public bool Uninstall(long appId, long portalId)
    {
        var grants = _refreshTokens.Values.Where(r => r.AppId == appId && r.PortalId == portalId).ToList();
        foreach (var grant in grants)
        {
            _refreshTokens.TryRemove(grant.Token, out _);
        }
        var revoked = portals.Find(portalId)?.Tokens.RevokeApp(appId) ?? 0;
        return grants.Count > 0 || revoked > 0;
    }

    /// <summary>App-level webhooks: a portal's change goes to every app installed there, as that app's events for that portal.</summary>
    public void Fanout(long portalId, IReadOnlyList<WebhookEventDraft> drafts)
    {
        foreach (var app in InstalledIn(portalId))
        {
            app.Services.GetRequiredService<WebhookPublisher>().PublishFor(portalId, drafts);
        }
    }

    public async Task RemoveAllAsync()
    {
        await _changes.WaitAsync();
        try
        {
            var apps = _apps.Values.ToList();
            _apps.Clear();
            _codes.Clear();
            _refreshTokens.Clear();
            _grants.Clear();
            _created = 0;
            foreach (var app in apps)
            {
                foreach (var hosted in app.Services.GetServices<IHostedService>())
                {
                    await hosted.StopAsync(CancellationToken.None);
                }
                if (app.Services is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync();
                }
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    public async ValueTask DisposeAsync() => await RemoveAllAsync();

    private async Task<IServiceProvider> StartContainerAsync(SandboxOptions appOptions, CancellationToken ct)
    {
        var services = new ServiceCollection();
        services.AddSingleton(appOptions);
        services.AddSingleton(time);
        services.AddSingleton(loggers);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        SandboxApplication.AddPortalState(services);
        SandboxApplication.AddWebhookDelivery(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetRequiredService<SandboxSeeder>().Seed();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(ct);
        }
        return provider;
    }
}
