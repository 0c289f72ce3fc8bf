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
        // The spec accepts either scope: crm.objects.owners.read, or automation (workflow apps).
        var api = app.MapGroup("/crm/v3/owners").RequirePrivateAppToken().RequireScope(Scopes.OwnersRead, Scopes.Automation);
        api.MapGet("/", List);
        api.MapGet("/{ownerId}", Get);
        return api;
    }

    private static IResult List(string? email, int? limit, string? after, OwnerStore owners, SeedClock clock)
    {
        if (limit is < 1 or > 500)
        {
            return HubSpotErrors.InvalidParameter("limit", $"limit must be between 1 and 500, was {limit}", "INVALID_LIMIT");
        }

        var matching = owners.All.Where(o => email is null || string.Equals(o.Email, email, StringComparison.OrdinalIgnoreCase)).ToList();
        var (page, paging) = Pager.Page(matching, Pager.ParseAfter(after), limit ?? 100);
        return TypedResults.Ok(new PagedResults<OwnerDto>([.. page.Select(o => OwnerDto.From(o, clock.SeededAt))], paging));
    }

    private static IResult Get(string ownerId, string? idProperty, OwnerStore owners, SeedClock clock)
    {
        // The spec types ownerId as an integer and idProperty as the enum id|userId.
        if (idProperty is not (null or "id" or "userId"))
        {
            return HubSpotErrors.InvalidParameter("idProperty", $"idProperty must be one of id, userId, was \"{idProperty}\"");
        }

        if (!int.TryParse(ownerId, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return HubSpotErrors.InvalidParameter("ownerId", $"ownerId must be an integer, was \"{ownerId}\"", "INVALID_TYPE");
        }

        var owner = idProperty == "userId"
            ? long.TryParse(ownerId, out var userId) ? owners.FindByUserId(userId) : null
            : owners.FindById(ownerId);
        return owner is null
            ? HubSpotErrors.NotFound($"No owner found for {idProperty ?? "id"} {ownerId}")
            : TypedResults.Ok(OwnerDto.From(owner, clock.SeededAt));
    }
}
