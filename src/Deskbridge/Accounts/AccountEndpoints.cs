using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Deskbridge.Accounts;

/// <summary>S1 as JSON: who am I, an organization's members and its API keys.</summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/me").WithTags("Access").RequireAdminAccess().MapGet("/", MeAsync);

        var group = app.MapGroup("/api/organizations/{id:guid}").WithTags("Access").RequireAdminAccess();
        group.MapGet("/members", MembersAsync);
        group.MapPut("/members", SetMemberAsync);
        group.MapDelete("/members/{userId}", RemoveMemberAsync);
        group.MapGet("/api-keys", ApiKeysAsync);
        group.MapPost("/api-keys", CreateApiKeyAsync);
        group.MapDelete("/api-keys/{keyId:guid}", RevokeApiKeyAsync);
        return group;
    }

    public sealed record MeView(string Name, bool Operator, IReadOnlyList<MyOrganization> Organizations);

    public sealed record MyOrganization(Guid Id, string Name, string Slug, OrganizationRole Role);

    /// <param name="Password">Only for someone without an account yet: their first password.</param>
    public sealed record MemberInput(string? Email, string? Password, OrganizationRole? Role);

    public sealed record ApiKeyInput(string? Name, OrganizationRole? Role);

    private static async Task<Ok<MeView>> MeAsync(ClaimsPrincipal user, OrganizationAccess access, CancellationToken ct)
    {
        var visible = await access.VisibleAsync(user, ct);
        return TypedResults.Ok(new MeView(user.Identity?.Name ?? "", OrganizationAccess.IsOperator(user),
            visible.Select(v => new MyOrganization(v.Organization.Id, v.Organization.Name, v.Organization.Slug, v.Role)).ToList()));
    }

    private static async Task<Ok<List<AccountService.MemberView>>> MembersAsync(Guid id, AccountService accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.MembersAsync(id, ct));

    private static async Task<Results<Ok<AccountService.MemberView>, ValidationProblem, ProblemHttpResult>> SetMemberAsync(
        Guid id, MemberInput body, HttpContext http, AccountService accounts, CancellationToken ct) =>
        await accounts.SetMemberAsync(id, body.Email, body.Password, body.Role ?? OrganizationRole.Member, http.RoleInRoute(), ct) switch
        {
            AccountService.MemberChange.Done { Member: { } member } => TypedResults.Ok(member),
            AccountService.MemberChange.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "The member was not added"),
            var refused => Refusal(refused),
        };

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RemoveMemberAsync(
        Guid id, string userId, HttpContext http, AccountService accounts, CancellationToken ct) =>
        await accounts.RemoveMemberAsync(id, userId, http.RoleInRoute(), ct) switch
        {
            AccountService.MemberChange.Done => TypedResults.NoContent(),
            AccountService.MemberChange.NotFound => TypedResults.NotFound(),
            var refused => Refusal(refused),
        };

    private static ProblemHttpResult Refusal(AccountService.MemberChange change) => change switch
    {
        AccountService.MemberChange.OwnersOnly o => TypedResults.Problem(title: "Owners only", detail: o.Why, statusCode: StatusCodes.Status403Forbidden),
        AccountService.MemberChange.LastOwner l => TypedResults.Problem(title: "Last owner", detail: l.Why, statusCode: StatusCodes.Status409Conflict),
        _ => TypedResults.Problem(title: "Not changed", detail: change.ToString(), statusCode: StatusCodes.Status400BadRequest),
    };

    private static async Task<Ok<List<AccountService.ApiKeyView>>> ApiKeysAsync(Guid id, AccountService accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.ApiKeysAsync(id, ct));

    private static async Task<Results<Created<AccountService.CreatedApiKey>, ValidationProblem>> CreateApiKeyAsync(
        Guid id, ApiKeyInput body, ClaimsPrincipal user, AccountService accounts, CancellationToken ct)
    {
        var role = body.Role ?? OrganizationRole.Admin;
        if (AccountService.ApiKeyProblems(body.Name, role) is { Count: > 0 } problems)
        {
            return TypedResults.ValidationProblem(problems, title: "The API key was not created");
        }
        var created = await accounts.CreateApiKeyAsync(id, body.Name!, role, user.Identity?.Name, ct);
        return TypedResults.Created($"/api/organizations/{id}/api-keys/{created.Id}", created);
    }

    private static async Task<Results<NoContent, NotFound>> RevokeApiKeyAsync(Guid id, Guid keyId, AccountService accounts, CancellationToken ct) =>
        await accounts.RevokeApiKeyAsync(id, keyId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
