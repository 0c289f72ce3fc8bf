namespace Deskbridge.HubSpotSandbox.Auth;

public sealed record AccessToken(string Token, IReadOnlySet<string> Scopes, long UserId, DateTimeOffset CreatedAt)
{
    /// <summary>Tokens are credentials: logs and inspection show only the last four characters.</summary>
    public string Masked => Mask(Token);

    public static string Mask(string token) => token.Length <= 4 ? "****" : "…" + token[^4..];
}
