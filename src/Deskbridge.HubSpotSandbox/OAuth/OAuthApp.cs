namespace Deskbridge.HubSpotSandbox.OAuth;

/// <summary>
/// A public (OAuth) app of a HubSpot developer account: its credentials, the redirect URLs and scopes configured in its
/// Auth settings, and a container of its own for its app-level webhooks (one target URL for every account that installed
/// it, signed with the app's client secret). Its webhook state is the same types a portal keeps
/// (<see cref="SandboxApplication.AddPortalState"/>), so the webhooks v3 and admin webhook endpoints serve an app unchanged.
/// </summary>
public sealed class OAuthApp(long appId, string clientId, string clientSecret, string name, IReadOnlyList<string> redirectUris,
    IReadOnlyList<string> scopes, IReadOnlyList<string> optionalScopes, TimeSpan accessTokenLifetime, SandboxOptions options, IServiceProvider services)
{
    public long AppId { get; } = appId;
    public string ClientId { get; } = clientId;
    public string ClientSecret { get; } = clientSecret;
    public string Name { get; } = name;
    public IReadOnlyList<string> RedirectUris { get; } = redirectUris;

    /// <summary>Required scopes: an install URL must ask for exactly these (HubSpot refuses a mismatch).</summary>
    public IReadOnlyList<string> Scopes { get; } = scopes;
    public IReadOnlyList<string> OptionalScopes { get; } = optionalScopes;
    public TimeSpan AccessTokenLifetime { get; } = accessTokenLifetime;
    public SandboxOptions Options { get; } = options;
    public IServiceProvider Services { get; } = services;
}

/// <summary>An authorization code: single use, bound to the app, the redirect URL and the account it was granted for.</summary>
public sealed record AuthorizationCode(string Code, long AppId, long PortalId, long UserId, string UserEmail, string RedirectUri,
    IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);

/// <summary>A refresh token: long-lived, it stays the same across refreshes (HubSpot does not rotate it) until revoked or uninstalled.</summary>
public sealed record RefreshGrant(string Token, long AppId, long PortalId, long UserId, string UserEmail, IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt);
