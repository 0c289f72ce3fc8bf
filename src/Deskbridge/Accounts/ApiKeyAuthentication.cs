using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Accounts;

/// <summary>
/// X-Api-Key: the operator key (Admin:ApiKey, every organization) or an organization's own key (that organization only,
/// with the role it was created with). Keys are compared by their SHA-256 hash; revoked keys are refused.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<AdminOptions> admin, DeskbridgeDb db) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var given = Request.Headers[HeaderName].ToString();
        if (given.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (admin.Value.ApiKey is { Length: > 0 } operatorKey &&
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(operatorKey)))
        {
            return Success(new Claim(AccessClaims.Operator, "true"), new Claim(ClaimTypes.Name, "operator"));
        }

        var hash = ApiKeys.Hash(given);
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Hash == hash, Context.RequestAborted);
        if (key is null || key.RevokedAt is not null)
        {
            return AuthenticateResult.Fail(key is null ? "Unknown API key." : "This API key has been revoked.");
        }
        return Success(
            new Claim(AccessClaims.Organization, key.OrganizationId.ToString()),
            new Claim(AccessClaims.Role, key.Role.ToString()),
            new Claim(AccessClaims.ApiKey, key.Id.ToString()),
            new Claim(ClaimTypes.Name, $"API key {key.Name}"));
    }

    private AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
}

public static class AccessClaims
{
    public const string Operator = "deskbridge:operator";
    public const string Organization = "deskbridge:organization";
    public const string Role = "deskbridge:role";
    public const string ApiKey = "deskbridge:api-key";
}

public static class ApiKeys
{
    public const string KeyPrefix = "dbk_";

    /// <summary>A new random key: 32 bytes of entropy, so a plain SHA-256 hash is enough to store it.</summary>
    public static string NewKey() => KeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
