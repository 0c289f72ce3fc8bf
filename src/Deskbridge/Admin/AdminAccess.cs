using Deskbridge.Accounts;

namespace Deskbridge.Admin;

public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>The operator key: sent as X-Api-Key, it reaches every organization (scripts run by whoever runs the service, tests).</summary>
    public string? ApiKey { get; set; }

    /// <summary>With BootstrapPassword: a person created at start-up who owns every organization without an owner.</summary>
    public string? BootstrapEmail { get; set; }

    public string? BootstrapPassword { get; set; }
}

public static class AdminAccess
{
    /// <summary>
    /// S1 for the admin API. Callers are the operator key, an organization's API key (that organization only) or a signed-in
    /// person (their organizations only). Reading needs any role; changing anything (every method but GET/HEAD) needs
    /// owner or admin. An organization the caller may not see answers 404, as if it did not exist.
    /// </summary>
    public static RouteGroupBuilder RequireAdminAccess(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var user = http.User;
            if (user.Identity?.IsAuthenticated != true)
            {
                return http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                    ? TypedResults.Problem(title: "API key not accepted", detail: "The X-Api-Key is unknown or has been revoked.", statusCode: StatusCodes.Status401Unauthorized)
                    : TypedResults.Problem(title: "Sign-in required", detail: "Sign in at /login, or send an API key in the X-Api-Key header.", statusCode: StatusCodes.Status401Unauthorized);
            }

            var organizationId = OrganizationIdOf(http);
            if (organizationId is null)
            {
                // Routes about no one organization (create, list): the operator and people; an organization's key stays in its organization.
                return OrganizationAccess.IsApiKey(user)
                    ? TypedResults.Problem(title: "Not with an organization's API key", detail: "An organization's API key reaches only that organization's endpoints.", statusCode: StatusCodes.Status403Forbidden)
                    : await next(context);
            }

            var role = await http.RequestServices.GetRequiredService<OrganizationAccess>().RoleAsync(user, organizationId.Value, http.RequestAborted);
            if (role is null)
            {
                return TypedResults.Problem(title: "Organization not found", detail: $"There is no organization {organizationId} that you can see.", statusCode: StatusCodes.Status404NotFound);
            }
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !role.Value.CanManage())
            {
                return TypedResults.Problem(title: "Owners and admins only", detail: "Your role in this organization is member: you can read, but only owners and admins can change this.", statusCode: StatusCodes.Status403Forbidden);
            }
            http.Items[typeof(OrganizationRole)] = role.Value;
            return await next(context);
        });

    /// <summary>The caller's role in the route's organization, once RequireAdminAccess has let the request through.</summary>
    public static OrganizationRole? RoleInRoute(this HttpContext http) =>
        http.Items.TryGetValue(typeof(OrganizationRole), out var role) ? (OrganizationRole)role! : null;

    private static Guid? OrganizationIdOf(HttpContext http)
    {
        foreach (var name in (string[])["organizationId", "id"])
        {
            if (http.Request.RouteValues.TryGetValue(name, out var value) && Guid.TryParse(value?.ToString(), out var id))
            {
                return id;
            }
        }
        return null;
    }
}
