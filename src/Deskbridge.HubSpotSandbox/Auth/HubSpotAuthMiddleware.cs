using Deskbridge.HubSpotSandbox.Errors;

namespace Deskbridge.HubSpotSandbox.Auth;

/// <summary>Authenticates public endpoints the way HubSpot does: Bearer private-app token, or hapikey
/// for the developer APIs. Runs before rate limiting, so unauthenticated calls count against nothing.</summary>
internal sealed class HubSpotAuthMiddleware(RequestDelegate next)
{
    public const string TokenItemKey = "hubspot.token";

    // The stores come from the requests services: they are the portals the request selected (PortalSelectionMiddleware).
    public async Task InvokeAsync(HttpContext context, TokenStore tokens, SandboxOptions options, TimeProvider time)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<HubSpotApiMetadata>();
        switch (metadata?.Auth)
        {
            case HubSpotAuthKind.PrivateAppToken:
                var token = ReadBearer(context) is { } value ? tokens.Find(value) : null;
                if (token is null)
                {
                    await HubSpotErrors.Unauthorized().ExecuteAsync(context);
                    return;
                }
                // OAuth access tokens live 30 minutes (expires_in); HubSpot then answers 401 EXPIRED_AUTHENTICATION.
                if (token.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow())
                {
                    await HubSpotErrors.Expired(time.GetUtcNow() - expiresAt).ExecuteAsync(context);
                    return;
                }

                context.Items[TokenItemKey] = token;
                break;

            case HubSpotAuthKind.DeveloperApiKey:
                if (!string.Equals(context.Request.Query["hapikey"], options.DeveloperApiKey, StringComparison.Ordinal))
                {
                    await HubSpotErrors.Unauthorized().ExecuteAsync(context);
                    return;
                }

                break;
        }

        await next(context);
    }

    public static string? ReadBearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : null;
    }
}
