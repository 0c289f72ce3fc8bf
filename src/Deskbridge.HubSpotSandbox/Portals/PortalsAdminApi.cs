using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Portals;

/// <summary>
/// /_sandbox/portals: create and list portals. Every other admin call works on one portal by its prefix,
/// /_sandbox/portals/{portalId}/… (see <see cref="PortalSelectionMiddleware"/>); plain /_sandbox/… is the default portal.
/// </summary>
public static class PortalsAdminApi
{
    public static RouteGroupBuilder MapPortalsAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(SandboxApplication.AdminPrefix + "/portals");
        api.MapGet("/", (PortalRegistry portals) => TypedResults.Ok(new PagedResults<PortalView>([.. portals.All.Select(p => portals.View(p))])));
        api.MapGet("/{portalId:long}", (long portalId, PortalRegistry portals) =>
            portals.Find(portalId) is { } portal ? TypedResults.Ok(portals.View(portal)) : (IResult)HubSpotErrors.NotFound($"Portal {portalId} not found"));
        api.MapPost("/", async (PortalCreate request, PortalRegistry portals, CancellationToken ct) =>
        {
            var result = await portals.CreateAsync(request, ct);
            return result.Portal is { } portal ? TypedResults.Created($"{SandboxApplication.AdminPrefix}/portals/{portal.PortalId}", portal)
                : result.Conflict ? HubSpotErrors.Conflict(result.Error!)
                : (IResult)HubSpotErrors.Validation(result.Error!);
        });
        return api;
    }
}
