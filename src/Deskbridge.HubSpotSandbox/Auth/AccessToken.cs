namespace Deskbridge.HubSpotSandbox.Auth;

/// <param name="ExpiresAt">Null for private-app tokens (they do not expire); OAuth access tokens expire (HubSpot: 30 minutes).</param>
/// <param name="AppId">The public app an OAuth access token was issued to; null for private-app tokens.</param>
public sealed record AccessToken(string Token, IReadOnlySet<string> Scopes, long UserId, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt = null, long? AppId = null)
{
    /// <summary>Tokens are credentials: logs and inspection show only the last four characters.</summary>
    public string Masked => Mask(Token);

    public static string Mask(string token) => token.Length <= 4 ? "****" : "…" + token[^4..];
}
