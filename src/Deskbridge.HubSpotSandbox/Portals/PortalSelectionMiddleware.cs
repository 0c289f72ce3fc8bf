using System.Globalization;
using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Errors;

namespace Deskbridge.HubSpotSandbox.Portals;

/// <summary>
/// Picks the portal a request is for, before routing: a public call by its Bearer token (HubSpot knows the account from
/// the token alone), a webhooks v3 call by the app id in its path, an admin call by <c>/_sandbox/portals/{portalId}/…</c>,
/// which is rewritten to the shared admin path (<c>/_sandbox/…</c>) so every admin endpoint works per portal. A token no
/// portal knows stays with the default portal, whose authentication answers 401.
/// </summary>
internal sealed class PortalSelectionMiddleware(RequestDelegate next, PortalRegistry portals, OAuth.OAuthApps apps)
{
    private const string AppsPrefix = SandboxApplication.AdminPrefix + "/apps";
    public const string PortalItemKey = "sandbox.portal";
    private const string PortalsPrefix = SandboxApplication.AdminPrefix + "/portals";

    public async Task InvokeAsync(HttpContext context)
    {
        SandboxPortal? portal;
        var path = context.Request.Path;
        if (path.StartsWithSegments(PortalsPrefix, out var rest) && SplitPortal(rest) is var (id, remainder))
        {
            portal = portals.Find(id);
            if (portal is null)
            {
                await HubSpotErrors.NotFound($"Portal {id.ToString(CultureInfo.InvariantCulture)} not found").ExecuteAsync(context);
                return;
            }
            context.Request.Path = SandboxApplication.AdminPrefix + remainder;
        }
        else if (path.StartsWithSegments(AppsPrefix, out var appRest) && SplitPortal(appRest) is var (appId, appRemainder))
        {
            // A public app's own webhook settings, subscriptions and deliveries (/_sandbox/apps/{appId}/webhooks/…).
            if (apps.Find(appId) is not { } app)
            {
                await HubSpotErrors.NotFound($"App {appId.ToString(CultureInfo.InvariantCulture)} not found").ExecuteAsync(context);
                return;
            }
            portal = AppContainer(app);
            context.Request.Path = SandboxApplication.AdminPrefix + appRemainder;
        }
        else if (path.StartsWithSegments(SandboxApplication.AdminPrefix))
        {
            portal = portals.Default;
        }
        else if (HubSpotAuthMiddleware.ReadBearer(context) is { } token)
        {
            portal = portals.FindByToken(token) ?? portals.Default;
        }
        else if (AppIdOfWebhooksPath(path) is { } webhooksAppId)
        {
            portal = portals.FindByAppId(webhooksAppId) ?? (apps.Find(webhooksAppId) is { } app ? AppContainer(app) : portals.Default);
        }
        else
        {
            portal = portals.Default;
        }

        context.Items[PortalItemKey] = portal;
        if (!portal.IsDefault)
        {
            context.RequestServices = new PortalRequestServices(portal.Services, context.RequestServices, portals.PortalServiceTypes);
        }
        await next(context);
    }

    // An app's container holds the same webhook types as a portal's, so the webhook endpoints serve it unchanged.
    private static SandboxPortal AppContainer(OAuth.OAuthApp app) => new(app.Options, app.Services, isDefault: false);

    /// <summary>"/123/tokens" → (123, "/tokens"); "/123/" → (123, "/"). "/123" alone is the portal's own resource, not a rewrite.</summary>
    private static (long Id, string Remainder)? SplitPortal(PathString rest)
    {
        var value = rest.Value ?? "";
        if (value.Length < 2)
        {
            return null;
        }
        var slash = value.IndexOf('/', 1);
        if (slash < 0 || !long.TryParse(value.AsSpan(1, slash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }
        return (id, value[slash..]);
    }

    private static long? AppIdOfWebhooksPath(PathString path)
    {
        if (!path.StartsWithSegments("/webhooks/v3", out var rest) || rest.Value is not { Length: > 1 } value)
        {
            return null;
        }
        var end = value.IndexOf('/', 1);
        var segment = end < 0 ? value.AsSpan(1) : value.AsSpan(1, end - 1);
        return long.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var appId) ? appId : null;
    }
}
