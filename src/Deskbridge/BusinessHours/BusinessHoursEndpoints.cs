using Deskbridge.Accounts;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.BusinessHours;

/// <summary>G6: business hours and the customer's handoff message of an organization.</summary>
public static class BusinessHoursEndpoints
{
    public static RouteGroupBuilder MapBusinessHoursEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{id:guid}").WithTags("Business hours").RequireAdminAccess();
        group.MapGet("/business-hours", async Task<Results<Ok<BusinessHoursView>, NotFound>> (Guid id, DeskbridgeDb db, BusinessHoursService service, CancellationToken ct) =>
            await Exists(db, id, ct) ? TypedResults.Ok(await service.GetHoursAsync(id, ct)) : TypedResults.NotFound());
        group.MapPut("/business-hours", async Task<Results<Ok<BusinessHoursView>, ValidationProblem, NotFound>> (
            Guid id, BusinessHoursInput? body, DeskbridgeDb db, BusinessHoursService service, CancellationToken ct) =>
        {
            if (!await Exists(db, id, ct))
            {
                return TypedResults.NotFound();
            }
            var errors = await service.SaveHoursAsync(id, body ?? new BusinessHoursInput(null, null, null), ct);
            return errors.Count > 0
                ? TypedResults.ValidationProblem(errors, title: "The business hours were not saved")
                : TypedResults.Ok(await service.GetHoursAsync(id, ct));
        });
        group.MapGet("/handoff-message", async Task<Results<Ok<HandoffMessageView>, NotFound>> (Guid id, DeskbridgeDb db, BusinessHoursService service, CancellationToken ct) =>
            await Exists(db, id, ct) ? TypedResults.Ok(await service.GetMessageAsync(id, ct)) : TypedResults.NotFound());
        group.MapPut("/handoff-message", async Task<Results<Ok<HandoffMessageView>, ValidationProblem, NotFound>> (
            Guid id, HandoffMessageInput? body, DeskbridgeDb db, BusinessHoursService service, CancellationToken ct) =>
        {
            if (!await Exists(db, id, ct))
            {
                return TypedResults.NotFound();
            }
            var errors = await service.SaveMessageAsync(id, body ?? new HandoffMessageInput(null, null, null), ct);
            return errors.Count > 0
                ? TypedResults.ValidationProblem(errors, title: "The handoff message was not saved")
                : TypedResults.Ok(await service.GetMessageAsync(id, ct));
        });
        return group;
    }

    private static Task<bool> Exists(DeskbridgeDb db, Guid id, CancellationToken ct) => db.Organizations.AnyAsync(o => o.Id == id, ct);
}
