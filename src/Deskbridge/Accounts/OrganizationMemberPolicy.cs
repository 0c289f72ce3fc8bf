using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Deskbridge.Accounts;

/// <summary>
/// S1 as one authorization policy, for the admin API and the dashboard's organization pages alike: the caller needs a role in
/// the route's organization (organizationId, id or orgId); reading needs any role, every method but GET/HEAD needs owner or
/// admin. Routes about no one organization (create, list) take the operator and people, never an organization's API key.
/// </summary>
public static class OrganizationMemberPolicy
{
    public const string Name = "OrganizationMember";

    internal static readonly string[] RouteNames = ["organizationId", "id", "orgId"];
}

public sealed class OrganizationMemberRequirement : IAuthorizationRequirement;

/// <summary>Why the policy refused, read back by <see cref="OrganizationMemberResultHandler"/> to answer 403 or 404.</summary>
public enum OrganizationRefusal { NotFound, MembersOnlyRead, ApiKeyOutsideOrganization }

public sealed class OrganizationMemberHandler : AuthorizationHandler<OrganizationMemberRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, OrganizationMemberRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.Identity?.IsAuthenticated != true)
        {
            // Not succeeding without a user makes the middleware challenge (401 or the sign-in page).
            return;
        }
        var organizationId = OrganizationIdOf(http);
        if (organizationId is null)
        {
            Decide(context, requirement, OrganizationAccess.IsApiKey(context.User) ? OrganizationRefusal.ApiKeyOutsideOrganization : null);
            return;
        }
        var role = await http.RequestServices.GetRequiredService<OrganizationAccess>().RoleAsync(context.User, organizationId.Value, http.RequestAborted);
        if (role is null)
        {
            Decide(context, requirement, OrganizationRefusal.NotFound);
            return;
        }
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !role.Value.CanManage())
        {
            Decide(context, requirement, OrganizationRefusal.MembersOnlyRead);
            return;
        }
        http.Items[typeof(OrganizationRole)] = role.Value;
        context.Succeed(requirement);
    }

    private void Decide(AuthorizationHandlerContext context, OrganizationMemberRequirement requirement, OrganizationRefusal? refusal)
    {
        if (refusal is { } reason)
        {
            context.Fail(new AuthorizationFailureReason(this, reason.ToString()));
        }
        else
        {
            context.Succeed(requirement);
        }
    }

    internal static Guid? OrganizationIdOf(HttpContext http)
    {
        foreach (var name in OrganizationMemberPolicy.RouteNames)
        {
            if (http.Request.RouteValues.TryGetValue(name, out var value) && Guid.TryParse(value?.ToString(), out var id))
            {
                return id;
            }
        }
        return null;
    }
}

/// <summary>Marks admin API endpoints: their refusals are ProblemDetails; the dashboard's are bare 403/404 and the sign-in page.</summary>
public sealed class ProblemDetailsRefusals;

/// <summary>Turns the policy's refusals into the answers S1 promises (404 for an organization the caller may not see).</summary>
public sealed class OrganizationMemberResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || !policy.Requirements.OfType<OrganizationMemberRequirement>().Any())
        {
            await _fallback.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        var api = context.GetEndpoint()?.Metadata.GetMetadata<ProblemDetailsRefusals>() is not null;
        var refusal = authorizeResult.AuthorizationFailure?.FailureReasons
            .Select(r => Enum.TryParse<OrganizationRefusal>(r.Message, out var parsed) ? parsed : (OrganizationRefusal?)null)
            .FirstOrDefault(r => r is not null);
        if (!api)
        {
            if (refusal is null)
            {
                await _fallback.HandleAsync(next, context, policy, authorizeResult);
                return;
            }
            context.Response.StatusCode = refusal == OrganizationRefusal.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
            return;
        }
        await Answer(context, refusal).ExecuteAsync(context);
    }

    private static IResult Answer(HttpContext http, OrganizationRefusal? refusal) => refusal switch
    {
        OrganizationRefusal.NotFound => TypedResults.Problem(title: "Organization not found",
            detail: $"There is no organization {RouteOrganization(http)} that you can see.", statusCode: StatusCodes.Status404NotFound),
        OrganizationRefusal.MembersOnlyRead => TypedResults.Problem(title: "Owners and admins only",
            detail: "Your role in this organization is member: you can read, but only owners and admins can change this.", statusCode: StatusCodes.Status403Forbidden),
        OrganizationRefusal.ApiKeyOutsideOrganization => TypedResults.Problem(title: "Not with an organization's API key",
            detail: "An organization's API key reaches only that organization's endpoints.", statusCode: StatusCodes.Status403Forbidden),
        _ => http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
            ? TypedResults.Problem(title: "API key not accepted", detail: "The X-Api-Key is unknown or has been revoked.", statusCode: StatusCodes.Status401Unauthorized)
            : TypedResults.Problem(title: "Sign-in required", detail: "Sign in at /login, or send an API key in the X-Api-Key header.", statusCode: StatusCodes.Status401Unauthorized),
    };

    private static Guid? RouteOrganization(HttpContext http) => OrganizationMemberHandler.OrganizationIdOf(http);
}
