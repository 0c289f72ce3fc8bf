using System.Globalization;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Webhooks;

namespace Deskbridge.HubSpotSandbox.OAuth;

public sealed record OAuthAppView(
    long AppId, string ClientId, string ClientSecret, string Name, IReadOnlyList<string> RedirectUris, IReadOnlyList<string> Scopes,
    IReadOnlyList<string> OptionalScopes, long AccessTokenLifetimeSeconds, string? WebhookTargetUrl, IReadOnlyList<long> InstalledPortalIds,
    IReadOnlyDictionary<string, int> Grants, string AdminPath);

public sealed record OAuthAppList(IReadOnlyList<OAuthAppView> Results);

public sealed record ExpiredTokens(int Expired);

/// <summary>/_sandbox/oauth: public apps (a developer account's apps) and their installations. No auth.</summary>
public static class OAuthAdminApi
{
    public static RouteGroupBuilder MapOAuthAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(SandboxApplication.AdminPrefix + "/oauth/apps");
        api.MapPost("/", async (OAuthAppCreate create, OAuthApps apps, CancellationToken ct) =>
        {
            var (created, error, conflict) = await apps.CreateAsync(create, ct);
            return created is null
                ? conflict ? (IResult)HubSpotErrors.Conflict(error!) : HubSpotErrors.Validation(error!)
                : TypedResults.Created((string?)null, View(created, apps));
        });
        api.MapGet("/", (OAuthApps apps) => TypedResults.Ok(new OAuthAppList([.. apps.All.Select(a => View(a, apps))])));
        api.MapGet("/{appId:long}", (long appId, OAuthApps apps) =>
            apps.Find(appId) is { } found ? (IResult)TypedResults.Ok(View(found, apps)) : HubSpotErrors.NotFound($"App {appId} not found"));
        // The account's admin removes the app (HubSpot: Connected apps → Uninstall): its tokens stop working, its webhooks stop.
        api.MapDelete("/{appId:long}/installs/{portalId:long}", (long appId, long portalId, OAuthApps apps) =>
            apps.Uninstall(appId, portalId) ? TypedResults.NoContent() : (IResult)HubSpotErrors.NotFound($"App {appId} is not installed in portal {portalId}"));
        api.MapPost("/{appId:long}/access-tokens/expire", (long appId, OAuthApps apps) =>
            apps.Find(appId) is null ? (IResult)HubSpotErrors.NotFound($"App {appId} not found") : TypedResults.Ok(new ExpiredTokens(apps.ExpireAccessTokens(appId))));
        return api;
    }

    public static OAuthAppView View(OAuthApp app, OAuthApps apps) => new(
        app.AppId, app.ClientId, app.ClientSecret, app.Name, app.RedirectUris, app.Scopes, app.OptionalScopes, (long)app.AccessTokenLifetime.TotalSeconds,
        app.Services.GetRequiredService<WebhookSettingsStore>().Current.TargetUrl, apps.InstalledPortals(app.AppId), apps.Grants(app.AppId),
        $"{SandboxApplication.AdminPrefix}/apps/{app.AppId.ToString(CultureInfo.InvariantCulture)}/");
}
