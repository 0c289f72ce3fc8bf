using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;
using Deskbridge.HubSpotSandbox.Validation;

namespace Deskbridge.HubSpotSandbox.Crm;

/// <summary>AssociationSpecWithLabel: label is an optional string, so an unlabelled type has none (not null).</summary>
public sealed record AssociationTypeDto(string Category, int TypeId, string? Label);

/// <summary>MultiAssociatedObjectWithLabel: the spec types toObjectId as a string.</summary>
public sealed record AssociatedObjectDto(string ToObjectId, IReadOnlyList<AssociationTypeDto> AssociationTypes);

public sealed record ObjectIdRef(string Id);

public sealed record AssociationSpecDto(string AssociationCategory, int AssociationTypeId);

public sealed record DefaultAssociationResult(ObjectIdRef From, ObjectIdRef To, AssociationSpecDto AssociationSpec);

/// <summary>LabelsBetweenObjectPair: object ids are strings in the spec.</summary>
public sealed record LabeledAssociationResult(string FromObjectTypeId, string FromObjectId, string ToObjectTypeId, string ToObjectId, IReadOnlyList<string> Labels);

/// <summary>/crm/v4/objects/{from}/{id}/associations/...: list, default (unlabeled) and typed associations.</summary>
public static class AssociationsV4Api
{
    public static RouteGroupBuilder MapAssociationsV4Api(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/crm/v4/objects/{fromObjectType}/{fromId}/associations").RequirePrivateAppToken();
        api.MapGet("/{toObjectType}", List).RequireScopes(context => Scopes(context, write: false));
        api.MapPut("/default/{toObjectType}/{toId}", AssociateDefault).RequireScopes(context => Scopes(context, write: true));
        api.MapPut("/{toObjectType}/{toId}", AssociateLabeled).AcceptsBody(RequestShapes.AssociationSpecs).RequireScopes(context => Scopes(context, write: true));
        api.MapDelete("/{toObjectType}/{toId}", Remove).RequireScopes(context => Scopes(context, write: true));
        return api;
    }

    private static IReadOnlyList<IReadOnlyList<string>> Scopes(HttpContext context, bool write)
    {
        var from = CrmObjectTypes.Normalize(context.GetRouteValue("fromObjectType") as string);
        var to = CrmObjectTypes.Normalize(context.GetRouteValue("toObjectType") as string);
        if (from is null || to is null)
        {
            return [];
        }

        return [[write ? CrmObjectTypes.WriteScope(from) : CrmObjectTypes.ReadScope(from)], [CrmObjectTypes.ReadScope(to)]];
    }

    private static IResult List(string fromObjectType, string fromId, string toObjectType, int? limit, string? after, AssociationStore links, CrmService crm)
    {
        if (Resolve(fromObjectType, toObjectType) is not (string from, string to))
        {
            return HubSpotErrors.Validation($"Unknown object type {fromObjectType} or {toObjectType}");
        }

        if (!crm.Exists(from, fromId))
        {
            return HubSpotErrors.NotFound("resource not found");
        }

        var all = links.Associated(from, fromId, to)
            .Select(a => new AssociatedObjectDto(
                a.ToId,
                [.. a.Types.Select(t => new AssociationTypeDto("HUBSPOT_DEFINED", t.TypeId, t.Label))]))
            .ToList();
        var (page, paging) = Pager.Page(all, Pager.ParseAfter(after), Math.Clamp(limit ?? 500, 1, 500));
        return TypedResults.Ok(new PagedResults<AssociatedObjectDto>(page, paging));
    }

    private static IResult AssociateDefault(string fromObjectType, string fromId, string toObjectType, string toId, AssociationStore links, CrmService crm, TimeProvider time)
    {
        if (Resolve(fromObjectType, toObjectType) is not (string from, string to) || AssociationTypes.Default(from, to) is not { } type)
        {
            return HubSpotErrors.Validation($"No default association exists from {fromObjectType} to {toObjectType}");
        }

        if (!crm.Exists(from, fromId) || !crm.Exists(to, toId))
        {
            return HubSpotErrors.NotFound("resource not found");
        }

        var started = HubSpotTime.Iso(time.GetUtcNow());
        links.Associate(from, fromId, to, toId, type);
        DefaultAssociationResult[] results =
        [
            new(new ObjectIdRef(fromId), new ObjectIdRef(toId), new AssociationSpecDto("HUBSPOT_DEFINED", type.TypeId)),
            new(new ObjectIdRef(toId), new ObjectIdRef(fromId), new AssociationSpecDto("HUBSPOT_DEFINED", type.InverseTypeId)),
        ];
        return TypedResults.Ok(new BatchResponse<DefaultAssociationResult>("COMPLETE", results, started, HubSpotTime.Iso(time.GetUtcNow())));
    }

    private static IResult AssociateLabeled(string fromObjectType, string fromId, string toObjectType, string toId, IReadOnlyList<AssociationSpec> specs, AssociationStore links, CrmService crm)
    {
        if (Resolve(fromObjectType, toObjectType) is not (string from, string to))
        {
            return HubSpotErrors.Validation($"Unknown object type {fromObjectType} or {toObjectType}");
        }

        var types = specs.Select(s => AssociationTypes.Find(from, to, s.AssociationTypeId)).ToList();
        if (types.Count == 0 || types.Any(t => t is null))
        {
            return HubSpotErrors.Validation($"Invalid association type id for {from} → {to}");
        }

        if (!crm.Exists(from, fromId) || !crm.Exists(to, toId))
        {
            return HubSpotErrors.NotFound("resource not found");
        }

        foreach (var type in types)
        {
            links.Associate(from, fromId, to, toId, type!);
        }

        var labels = types.Where(t => t!.Label is not null).Select(t => t!.Label!).ToList();
        return TypedResults.Created((string?)null, new LabeledAssociationResult(
            CrmObjectTypes.ObjectTypeId(from), fromId, CrmObjectTypes.ObjectTypeId(to), toId, labels));
    }

    private static IResult Remove(string fromObjectType, string fromId, string toObjectType, string toId, AssociationStore links)
    {
        if (Resolve(fromObjectType, toObjectType) is not (string from, string to))
        {
            return HubSpotErrors.Validation($"Unknown object type {fromObjectType} or {toObjectType}");
        }

        links.RemoveAll(from, fromId, to, toId);
        return TypedResults.NoContent();
    }

    // Conversation threads are no CRM object here: HubSpot's v4 API offers no association with them.
    private static (string From, string To)? Resolve(string from, string to) =>
        CrmObjectTypes.Normalize(from) is { } f && CrmObjectTypes.Normalize(to) is { } t
        && CrmObjectTypes.Records.Contains(f) && CrmObjectTypes.Records.Contains(t) ? (f, t) : null;
}
