using System.Globalization;
using System.Net;
using System.Text;
using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Crm;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Portals;

namespace Deskbridge.HubSpotSandbox.OAuth;

public sealed record TokenResponse(string TokenType, string RefreshToken, string AccessToken, long ExpiresIn, string TokenUse, long HubId, long UserId,
    IReadOnlyList<string> Scopes);

public sealed record AccessTokenInfoResponse(string Token, string User, string HubDomain, IReadOnlyList<string> Scopes, long HubId, long AppId,
    long ExpiresIn, long UserId, string TokenType, bool IsPrivateDistribution);

public sealed record RefreshTokenInfoResponse(string Token, string User, string HubDomain, IReadOnlyList<string> Scopes, long HubId, string ClientId,
    long UserId, string TokenType);

/// <summary>
/// HubSpot's OAuth 2.0 authorization server for public apps: the install (authorize) page, the v1 token endpoint with the
/// authorization_code and refresh_token grants, token introspection and refresh-token revocation.
/// </summary>
public static class OAuthApi
{
    public static IEndpointRouteBuilder MapOAuthApi(this IEndpointRouteBuilder app)
    {
        // HubSpot serves the install page on app.hubspot.com (optionally /oauth/{portalId}/authorize); the sandbox on its own host.
        app.MapGet("/oauth/authorize", AuthorizePage);
        app.MapGet("/oauth/{portalId:long}/authorize", (long portalId, HttpRequest request, OAuthApps apps, PortalRegistry portals) =>
            AuthorizePage(request, apps, portals, portalId));
        app.MapPost("/oauth/authorize", ConsentAsync).DisableAntiforgery();
        app.MapPost("/oauth/v1/token", TokenAsync).DisableAntiforgery();
        app.MapGet("/oauth/v1/access-tokens/{token}", AccessTokenInfo);
        app.MapGet("/oauth/v1/refresh-tokens/{token}", RefreshTokenInfo);
        app.MapDelete("/oauth/v1/refresh-tokens/{token}", RevokeRefreshToken);
        return app;
    }

    private sealed record InstallRequest(OAuthApp App, string RedirectUri, IReadOnlyList<string> Scopes, string? State);

    /// <summary>Checks an install URL as HubSpot does; a problem is shown on HubSpot's page, never sent to the redirect URL.</summary>
    private static (InstallRequest? Request, string? Problem) ReadInstall(OAuthApps apps, string? clientId, string? redirectUri, string? scope,
        string? optionalScope, string? state)
    {
        if (apps.FindByClientId(clientId) is not { } app)
        {
            return (null, "BAD_CLIENT_ID: the client_id is missing or belongs to no app.");
        }
        if (string.IsNullOrEmpty(redirectUri) || !app.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return (null, "BAD_REDIRECT_URI: the redirect_uri is missing or is not one of the app's redirect URLs (an exact match is required).");
        }
        var requested = Split(scope);
        var optional = Split(optionalScope);
        // HubSpot refuses an install URL whose scopes differ from the app's configured ones.
        if (!app.Scopes.All(requested.Contains) || requested.Any(s => !app.Scopes.Contains(s, StringComparer.Ordinal)))
        {
            return (null, "Authorization failed because there is a mismatch between the scopes in the install URL and the app's configured scopes. " +
                $"Configured: {string.Join(' ', app.Scopes)}; in the URL: {string.Join(' ', requested)}.");
        }
        if (optional.Any(s => !app.OptionalScopes.Contains(s, StringComparer.Ordinal)))
        {
            return (null, "Authorization failed because optional_scope names a scope the app does not configure as optional.");
        }
        // The oauth scope is part of every app's grant.
        IReadOnlyList<string> granted = [.. requested.Concat(optional).Append(Scopes.OAuth).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return (new InstallRequest(app, redirectUri, granted, state), null);
    }

    private static IResult AuthorizePage(HttpRequest request, OAuthApps apps, PortalRegistry portals, long? portalId = null)
    {
        var q = request.Query;
        var (install, problem) = ReadInstall(apps, q["client_id"], q["redirect_uri"], q["scope"], q["optional_scope"], q["state"]);
        if (install is null)
        {
            return Html(StatusCodes.Status400BadRequest, "Couldn't complete the connection", $"<p id=\"oauth-error\">{Encode(problem!)}</p>");
        }
        var accounts = portalId is { } id ? portals.All.Where(p => p.PortalId == id).ToList() : portals.All;
        if (accounts.Count == 0)
        {
            return Html(StatusCodes.Status400BadRequest, "Couldn't complete the connection", $"<p id=\"oauth-error\">No account {portalId} in this sandbox.</p>");
        }

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p><strong>{Encode(install.App.Name)}</strong> is requesting access to your HubSpot account.</p>");
        body.Append("<form method=\"post\" action=\"/oauth/authorize\">");
        Hidden(body, "client_id", install.App.ClientId);
        Hidden(body, "redirect_uri", install.RedirectUri);
        Hidden(body, "scope", q["scope"].ToString());
        Hidden(body, "optional_scope", q["optional_scope"].ToString());
        Hidden(body, "state", install.State);
        body.Append("<label for=\"portal_id\">Choose an account</label> <select id=\"portal_id\" name=\"portal_id\">");
        foreach (var account in accounts)
        {
            body.Append(CultureInfo.InvariantCulture,
                $"<option value=\"{account.PortalId}\">{Encode(account.Options.InboxName)} ({account.PortalId})</option>");
        }
        body.Append("</select><p>It will be able to:</p><ul id=\"scopes\">");
        foreach (var scope in install.Scopes)
        {
            body.Append(CultureInfo.InvariantCulture, $"<li>{Encode(scope)}</li>");
        }
        body.Append("</ul><button id=\"authorize\" name=\"decision\" value=\"allow\" type=\"submit\">Connect app</button> ");
        body.Append("<button id=\"deny\" name=\"decision\" value=\"deny\" type=\"submit\">Cancel</button></form>");
        return Html(StatusCodes.Status200OK, $"Connect {install.App.Name}", body.ToString());
    }

    /// <summary>The person chose an account and clicked: a single-use code goes back to the redirect URL with the state.</summary>
    private static async Task<IResult> ConsentAsync(HttpRequest request, OAuthApps apps, PortalRegistry portals)
    {
        var form = await request.ReadFormAsync();
        var (install, problem) = ReadInstall(apps, form["client_id"], form["redirect_uri"], form["scope"], form["optional_scope"], form["state"]);
        if (install is null)
        {
            return Html(StatusCodes.Status400BadRequest, "Couldn't complete the connection", $"<p id=\"oauth-error\">{Encode(problem!)}</p>");
        }
        var state = string.IsNullOrEmpty(install.State) ? "" : "&state=" + Uri.EscapeDataString(install.State);
        var separator = install.RedirectUri.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        if (!string.Equals(form["decision"], "allow", StringComparison.Ordinal))
        {
            return Results.Redirect($"{install.RedirectUri}{separator}error=access_denied&error_description=The+user+denied+access{state}");
        }
        if (!long.TryParse(form["portal_id"], NumberStyles.None, CultureInfo.InvariantCulture, out var portalId) || portals.Find(portalId) is not { } portal)
        {
            return Html(StatusCodes.Status400BadRequest, "Couldn't complete the connection", "<p id=\"oauth-error\">Choose an account of this sandbox.</p>");
        }
        // The installer is the portal's human user (a Super Admin: only they may install apps).
        var installer = portal.Services.GetRequiredService<OwnerStore>().FindByUserId(portal.Options.HumanUserId);
        var code = apps.IssueCode(install.App, portal, portal.Options.HumanUserId, installer?.Email ?? "", install.RedirectUri, install.Scopes);
        return Results.Redirect($"{install.RedirectUri}{separator}code={Uri.EscapeDataString(code.Code)}{state}");
    }

    private static async Task<IResult> TokenAsync(HttpRequest request, OAuthApps apps, PortalRegistry portals, TimeProvider time)
    {
        if (!request.HasFormContentType)
        {
            return OAuthErrors.Bad("BAD_REQUEST", "the token endpoint takes application/x-www-form-urlencoded parameters", "invalid_request");
        }
        var form = await request.ReadFormAsync();
        string? Field(string name) => form[name] is { Count: 1 } value && !string.IsNullOrEmpty(value[0]) ? value[0] : null;
        var grantType = Field("grant_type");
        if (grantType is not ("authorization_code" or "refresh_token"))
        {
            // client_credentials is in the spec for a different kind of app; the sandbox issues no such tokens.
            return OAuthErrors.BadGrantType(grantType);
        }
        if (apps.FindByClientId(Field("client_id")) is not { } app)
        {
            return OAuthErrors.BadClientId();
        }
        if (!string.Equals(Field("client_secret"), app.ClientSecret, StringComparison.Ordinal))
        {
            return OAuthErrors.BadClientSecret();
        }

        RefreshGrant grant;
        if (grantType == "authorization_code")
        {
            // Taken out first: a code is single use, also when this exchange fails on its redirect URL.
            var code = Field("code") is { } given ? apps.RedeemCode(given) : null;
            if (code is null || code.AppId != app.AppId || code.ExpiresAt <= time.GetUtcNow())
            {
                return OAuthErrors.BadAuthCode();
            }
            if (!string.Equals(Field("redirect_uri"), code.RedirectUri, StringComparison.Ordinal))
            {
                return OAuthErrors.BadRedirectUri();
            }
            grant = apps.IssueRefreshToken(code, portals.Find(code.PortalId)?.Options.Region ?? "na1");
        }
        else
        {
            var found = Field("refresh_token") is { } refresh ? apps.FindRefreshToken(refresh) : null;
            if (found is null || found.AppId != app.AppId)
            {
                return OAuthErrors.BadRefreshToken();
            }
            grant = found;
        }

        if (portals.Find(grant.PortalId) is not { } portal)
        {
            return OAuthErrors.BadRefreshToken();
        }
        apps.CountGrant(app.AppId, grantType);
        var access = apps.IssueAccessToken(app, portal, grant.UserId, grant.Scopes);
        return TypedResults.Json(new TokenResponse("bearer", grant.Token, access.Token, (long)app.AccessTokenLifetime.TotalSeconds, "access_token",
            grant.PortalId, grant.UserId, grant.Scopes), OAuthErrors.Json);
    }

    private static IResult AccessTokenInfo(string token, OAuthApps apps, PortalRegistry portals, TimeProvider time)
    {
        var portal = portals.FindByToken(token);
        var access = portal?.Tokens.Find(token);
        // Private-app tokens are not OAuth tokens: HubSpot's private-app introspection is a different endpoint.
        if (portal is null || access is not { AppId: { } appId, ExpiresAt: { } expiresAt })
        {
            return HubSpotErrors.NotFound("Token not found");
        }
        var now = time.GetUtcNow();
        if (expiresAt <= now)
        {
            return HubSpotErrors.Expired(now - expiresAt);
        }
        var owner = portal.Services.GetRequiredService<OwnerStore>().FindByUserId(access.UserId);
        return TypedResults.Json(new AccessTokenInfoResponse(token, owner?.Email ?? "", HubDomain(portal), [.. access.Scopes.Order(StringComparer.Ordinal)],
            portal.PortalId, appId, (long)Math.Ceiling((expiresAt - now).TotalSeconds), access.UserId, "access", false), OAuthErrors.Json);
    }

    private static IResult RefreshTokenInfo(string token, OAuthApps apps, PortalRegistry portals)
    {
        if (apps.FindRefreshToken(token) is not { } grant || apps.Find(grant.AppId) is not { } app || portals.Find(grant.PortalId) is not { } portal)
        {
            return HubSpotErrors.NotFound("Token not found");
        }
        return TypedResults.Json(new RefreshTokenInfoResponse(token, grant.UserEmail, HubDomain(portal), grant.Scopes, grant.PortalId, app.ClientId,
            grant.UserId, "refresh"), OAuthErrors.Json);
    }

    /// <summary>
    /// Deletes a refresh token. When it was the app's last grant in that account the installation ends: its access tokens
    /// stop working at once and its app webhooks stop (stricter than relying on HubSpot letting them run out).
    /// </summary>
    private static IResult RevokeRefreshToken(string token, OAuthApps apps)
    {
        if (apps.FindRefreshToken(token) is not { } grant || !apps.RevokeRefreshToken(token))
        {
            return HubSpotErrors.NotFound("Token not found");
        }
        if (!apps.InstalledPortals(grant.AppId).Contains(grant.PortalId))
        {
            apps.Uninstall(grant.AppId, grant.PortalId);
        }
        return TypedResults.NoContent();
    }

    private static string HubDomain(SandboxPortal portal) =>
        portal.Options.SupportEmailAddress[(portal.Options.SupportEmailAddress.IndexOf('@') + 1)..];

    private static List<string> Split(string? scopes) =>
        [.. (scopes ?? "").Split([' ', '+'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    private static void Hidden(StringBuilder body, string name, string? value) =>
        body.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{name}\" value=\"{Encode(value ?? "")}\">");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static IResult Html(int status, string title, string body) => Results.Content(
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Encode(title)} | HubSpot sandbox</title>" +
        "<style>body{font-family:sans-serif;max-width:36rem;margin:3rem auto;color:#33475b}button{padding:.5rem 1rem;margin-right:.5rem}" +
        "#authorize{background:#ff7a59;color:#fff;border:0}select{padding:.3rem}</style></head>" +
        $"<body><h1>{Encode(title)}</h1>{body}</body></html>", "text/html; charset=utf-8", Encoding.UTF8, status);
}
