using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Deskbridge.HubSpotSandbox.Crm;

public sealed record OwnerDto(
    string Id, string Email, string Type, string FirstName, string LastName, long UserId, long UserIdIncludingInactive,
    string CreatedAt, string UpdatedAt, bool Archived, IReadOnlyList<OwnerTeam> Teams)
{
    public static OwnerDto From(Owner o, DateTimeOffset seededAt) => new(
        o.Id, o.Email, "PERSON", o.FirstName, o.LastName, o.UserId, o.UserId, HubSpotTime.Iso(seededAt), HubSpotTime.Iso(seededAt), false, o.Teams);
}

/// <summary>/crm/v3/owners: the owner id ("601") is what hubspot_owner_id holds; idProperty=userId looks owners up by user id.</summary>
public static class OwnersApi
{
    public static RouteGroupBuilder MapOwnersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/crm/v3/owners").RequirePrivateAppToken().RequireScope(Scopes.OwnersRead);
        api.MapGet("/", List);
        api.MapGet("/{ownerId}", Get);
        return api;
    }

    private static Ok<PagedResults<OwnerDto>> List(string? email, int? limit, string? after, OwnerStore owners, SeedClock clock)
    {
        var matching = owners.All.Where(o => email is null || string.Equals(o.Email, email, StringComparison.OrdinalIgnoreCase)).ToList();
        var (page, paging) = Pager.Page(matching, Pager.ParseAfter(after), Math.Clamp(limit ?? 100, 1, 500));
        return TypedResults.Ok(new PagedResults<OwnerDto>([.. page.Select(o => OwnerDto.From(o, clock.SeededAt))], paging));
    }

    private static Results<Ok<OwnerDto>, JsonHttpResult<HubSpotErrorBody>> Get(string ownerId, string? idProperty, OwnerStore owners, SeedClock clock)
    {
        var owner = string.Equals(idProperty, "userId", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(ownerId, out var userId) ? owners.FindByUserId(userId) : null
            : owners.FindById(ownerId);
        return owner is null
            ? HubSpotErrors.NotFound($"No owner found for {idProperty ?? "id"} {ownerId}")
            : TypedResults.Ok(OwnerDto.From(owner, clock.SeededAt));
    }
}
