

namespace Deskbridge.Accounts;

public static class AdminAccess
{
    /// <summary>
    /// S1 for the admin API. Callers are the operator key, an organization's API key (that organization only) or a signed-in
    /// person (their organizations only). Reading needs any role; changing anything (every method but GET/HEAD) needs
    /// owner or admin. An organization the caller may not see answers 404, as if it did not exist. The rule is the
    /// organization-member policy (Accounts/OrganizationMemberPolicy.cs), shared with the dashboard; here its refusals are ProblemDetails.
    /// </summary>
    public static RouteGroupBuilder RequireAdminAccess(this RouteGroupBuilder group) =>
        group.RequireAuthorization(OrganizationMemberPolicy.Name).WithMetadata(new ProblemDetailsRefusals());

    /// <summary>The caller's role in the route's organization, once the organization-member policy has let the request through.</summary>
    public static OrganizationRole? RoleInRoute(this HttpContext http) =>
        http.Items.TryGetValue(typeof(OrganizationRole), out var role) ? (OrganizationRole)role! : null;
}
