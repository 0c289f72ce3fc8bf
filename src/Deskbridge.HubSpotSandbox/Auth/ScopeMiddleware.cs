using Deskbridge.HubSpotSandbox.Errors;

namespace Deskbridge.HubSpotSandbox.Auth;

/// <summary>403 MISSING_SCOPES naming the scopes, as HubSpot answers a token without the endpoint's scope.</summary>
internal sealed class ScopeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Items[HubSpotAuthMiddleware.TokenItemKey] is AccessToken token)
        {
            foreach (var requirement in context.GetEndpoint()?.Metadata.GetOrderedMetadata<RequiredScopesMetadata>() ?? [])
            {
                foreach (var anyOf in requirement.Resolve(context))
                {
                    if (anyOf.Count > 0 && !anyOf.Any(token.Scopes.Contains))
                    {
                        await HubSpotErrors.MissingScopes(anyOf).ExecuteAsync(context);
                        return;
                    }
                }
            }
        }

        await next(context);
    }
}
