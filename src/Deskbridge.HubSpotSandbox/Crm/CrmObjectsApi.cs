using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;
using Deskbridge.HubSpotSandbox.Validation;
using Deskbridge.HubSpotSandbox.Webhooks;

namespace Deskbridge.HubSpotSandbox.Crm;

/// <summary>/crm/v3/objects/{objectType}: contacts, companies, deals and tickets share one implementation, as in HubSpot.</summary>
public static class CrmObjectsApi
{
    private const int MaxBatchInputs = 100;

    public static RouteGroupBuilder MapCrmObjectsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/crm/v3/objects/{objectType}").RequirePrivateAppToken();

        api.MapGet("/", List).RequireScopes(ReadScope);
        api.MapPost("/", Create).AcceptsBody(RequestShapes.ObjectCreate).RequireScopes(WriteScope);
        api.MapPost("/search", Search).AcceptsBody(RequestShapes.Search).RequireScopes(ReadScope).IsSearchEndpoint();
        api.MapPost("/batch/read", BatchRead).AcceptsBody(RequestShapes.BatchRead).RequireScopes(ReadScope);
        api.MapGet("/{id}", Read).RequireScopes(ReadScope);
        api.MapPatch("/{id}", Update).AcceptsBody(RequestShapes.ObjectUpdate).RequireScopes(WriteScope);
        api.MapDelete("/{id}", Archive).RequireScopes(WriteScope);
        api.MapPut("/{id}/associations/{toObjectType}/{toId}/{associationType}", AssociateV3).RequireScopes(WriteScope);
        return api;
    }

    private static IReadOnlyList<IReadOnlyList<string>> ReadScope(HttpContext context) =>
        CrmObjectTypes.Normalize(context.GetRouteValue("objectType") as string) is { } type ? [[CrmObjectTypes.ReadScope(type)]] : [];

    private static IReadOnlyList<IReadOnlyList<string>> WriteScope(HttpContext context) =>
        CrmObjectTypes.Normalize(context.GetRouteValue("objectType") as string) is { } type ? [[CrmObjectTypes.WriteScope(type)]] : [];

    private static string? RecordType(string objectType) =>
        CrmObjectTypes.Normalize(objectType) is { } type && CrmObjectTypes.Records.Contains(type) ? type : null;

    private static IResult UnknownType(string objectType) => HubSpotErrors.Result(StatusCodes.Status400BadRequest, new HubSpotErrorBody
    {
        Message = $"Unable to infer object type from: {objectType}",
        Category = "VALIDATION_ERROR",
    });

    private static IResult List(string objectType, string? properties, string? associations, int? limit, string? after, CrmStore store, AssociationStore links)
    {
        if (RecordType(objectType) is not { } type)
        {
            return UnknownType(objectType);
        }

        var (page, paging) = Pager.Page(store.All(type), Pager.ParseAfter(after), Math.Clamp(limit ?? 10, 1, 100));
        var requested = CrmDtoMapper.ParseList(properties);
        var assocTypes = CrmDtoMapper.ParseList(associations);
        return TypedResults.Ok(new PagedResults<CrmObjectDto>([.. page.Select(r => CrmDtoMapper.ForRead(r, requested, links, assocTypes))], paging));
    }

    private static IResult Read(string objectType, string id, string? idProperty, string? properties, string? associations, CrmStore store, AssociationStore links)
    {
        if (RecordType(objectType) is not { } type)
        {
            return UnknownType(objectType);
        }

        var record = Find(store, type, id, idProperty);
        return record is null
            ? HubSpotErrors.NotFound("resource not found")
            : TypedResults.Ok(CrmDtoMapper.ForRead(record, CrmDtoMapper.ParseList(properties), links, CrmDtoMapper.ParseList(associations)));
    }

    private static IResult Create(string objectType, CrmWriteRequest body, CrmService crm)
    {
        if (RecordType(objectType) is not { } type)
        {
            return UnknownType(objectType);
        }

        var result = crm.Create(type, JsonValues.ToProperties(body.Properties), body.Associations, ChangeSources.Api);
        return result.Error ?? TypedResults.Created($"/crm/v3/objects/{type}/{result.Record!.Id}", CrmDtoMapper.ForWrite(result.Record));
    }

    private static IResult Update(string objectType, string id, string? idProperty, CrmWriteRequest body, CrmService crm, CrmStore store)
    {
        if (RecordType(objectType) is not { } type)
        {
            return UnknownType(objectType);
        }

        if (Find(store, type, id, idProperty) is not { } existing)
        {
            return HubSpotErrors.NotFound("resource not found");
        }

        var result = crm.Update(type, existing.Id, JsonValues.ToProperties(body.Properties), ChangeSources.Api);
        return result.Error ?? TypedResults.Ok(CrmDtoMapper.ForWrite(result.Record!));
    }

    private static IResult Archive(string objectType, string id, CrmService crm)
    {
        if (RecordType(objectType) is not { } type)
        {
            return UnknownType(objectType);
        }

        // HubSpot answers 204 even when the record was already gone.
        crm.Archive(type, id, ChangeSources.Api);
        return TypedResults.NoContent();
    }

    private static IResult Search(string objectType, SearchRequest request, CrmStore store)
    {
        if (RecordType(objectType) is not { } type)
        {
            return UnknownType(objectType);
        }

        return CrmSearch.Run(store.All(type), type, request);
    }

    private static IResult BatchRead(string objectType, BatchReadRequest request, CrmStore store, TimeProvider time)
    {
        if (RecordType(objectType) is not { } type)
        {
            return UnknownType(objectType);
        }

        var inputs = request.Inputs ?? [];
        if (inputs.Count > MaxBatchInputs)
        {
            return HubSpotErrors.Validation($"Batch read accepts at most {MaxBatchInputs} inputs, got {inputs.Count}");
        }

        var started = HubSpotTime.Iso(time.GetUtcNow());
        var found = new List<CrmObjectDto>();
        var missing = new List<string>();
        foreach (var input in inputs)
        {
            if (input.Id is { } id && Find(store, type, id, request.IdProperty) is { } record)
            {
                found.Add(CrmDtoMapper.ForRead(record, request.Properties));
            }
            else
            {
                missing.Add(input.Id ?? "");
            }
        }

        var completed = HubSpotTime.Iso(time.GetUtcNow());
        if (missing.Count == 0)
        {
            return TypedResults.Ok(new BatchResponse<CrmObjectDto>("COMPLETE", found, started, completed));
        }

        // Partial success: HubSpot answers 207 Multi-Status with the ids it could not find.
        var error = BatchError.NotFound(
            $"Could not get some {CrmObjectTypes.Singular(type).ToUpperInvariant()} objects, they may be deleted or not exist. Check that ids are valid.", missing);
        return TypedResults.Json(new BatchResponse<CrmObjectDto>("COMPLETE", found, started, completed, 1, [error]), SandboxJson.Options, statusCode: StatusCodes.Status207MultiStatus);
    }

    private static IResult AssociateV3(string objectType, string id, string toObjectType, string toId, string associationType, CrmService crm, AssociationStore links, CrmStore store)
    {
        if (RecordType(objectType) is not { } type || CrmObjectTypes.Normalize(toObjectType) is not { } toType)
        {
            return UnknownType(objectType);
        }

        var spec = int.TryParse(associationType, out var typeId)
            ? AssociationTypes.Find(type, toType, typeId)
            : AssociationTypes.All.FirstOrDefault(t => t.Public && t.From == type && t.To == toType && t.Name == associationType);
        if (spec is null)
        {
            return HubSpotErrors.Validation($"{associationType} is not a valid association type between {type} and {toType}");
        }

        if (!crm.Exists(type, id) || !crm.Exists(toType, toId))
        {
            return HubSpotErrors.NotFound("resource not found");
        }

        links.Associate(type, id, toType, toId, spec);
        return TypedResults.Ok(CrmDtoMapper.ForRead(store.Find(type, id)!, null, links, [toType]));
    }

    private static CrmRecord? Find(CrmStore store, string type, string id, string? idProperty) =>
        string.IsNullOrEmpty(idProperty) || idProperty == "hs_object_id"
            ? store.Find(type, id)
            : store.FindByProperty(type, idProperty, id);
}
