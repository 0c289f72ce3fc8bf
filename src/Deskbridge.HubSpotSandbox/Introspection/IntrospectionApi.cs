using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Portals;
using Deskbridge.HubSpotSandbox.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Deskbridge.HubSpotSandbox.Introspection;

public sealed record AccessTokenInfoRequest(string? TokenKey);

public sealed record AccessTokenInfo(long UserId, long HubId, long AppId, IReadOnlyList<string> Scopes);

public sealed record AccountDetails(
    long PortalId, string AccountType, string TimeZone, string CompanyCurrency, IReadOnlyList<string> AdditionalCurrencies,
    string UtcOffset, long UtcOffsetMilliseconds, string UiDomain, string DataHostingLocation);

/// <summary>Token and account introspection, which Deskbridge uses to verify a token and detect portal and region.</summary>
public static class IntrospectionApi
{
    public static IEndpointRouteBuilder MapIntrospectionApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/oauth/v2/private-apps/get/access-token-info", GetAccessTokenInfo).AcceptsBody(RequestShapes.TokenInfo).AllowWithoutCredentials();
        app.MapGet("/account-info/v3/details", GetAccountDetails).RequirePrivateAppToken().RequireScope(Scopes.OAuth);
        return app;
    }

    // No credentials: the token in the body names its portal (hubId), whichever portal it belongs to.
    private static Results<Ok<AccessTokenInfo>, JsonHttpResult<HubSpotErrorBody>> GetAccessTokenInfo(AccessTokenInfoRequest request, PortalRegistry portals)
    {
        var portal = request.TokenKey is { Length: > 0 } key ? portals.FindByToken(key) : null;
        var token = portal?.Tokens.Find(request.TokenKey!);
        return portal is null || token is null
            ? HubSpotErrors.NotFound("Token not found")
            : TypedResults.Ok(new AccessTokenInfo(token.UserId, portal.Options.PortalId, portal.Options.AppId, [.. token.Scopes.Order(StringComparer.Ordinal)]));
    }

    private static Ok<AccountDetails> GetAccountDetails(SandboxOptions options) => TypedResults.Ok(new AccountDetails(
        options.PortalId, "STANDARD", "US/Eastern", "USD", [], "-05:00", -18_000_000, UiDomain(options.Region), options.Region));

    // HubSpot's UI lives on app.hubspot.com for na1 and on app-<hublet>.hubspot.com elsewhere.
    public static string UiDomain(string region) => region == "na1" ? "app.hubspot.com" : $"app-{region}.hubspot.com";
}
