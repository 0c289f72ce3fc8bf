

namespace Deskbridge.Accounts;

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
    /// owner or admin. An organization the caller may not see answers 404, as if it did not exist. The rule is the
    /// organization-member policy (Accounts/OrganizationMemberPolicy.cs), shared with the dashboard; here its refusals are ProblemDetails.
    /// </summary>
    public static RouteGroupBuilder RequireAdminAccess(this RouteGroupBuilder group) =>
        group.RequireAuthorization(OrganizationMemberPolicy.Name).WithMetadata(new ProblemDetailsRefusals());

    /// <summary>The caller's role in the route's organization, once the organization-member policy has let the request through.</summary>
    public static OrganizationRole? RoleInRoute(this HttpContext http) =>
        http.Items.TryGetValue(typeof(OrganizationRole), out var role) ? (OrganizationRole)role! : null;
}
