using System.Text.Json;
using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Crm;

/// <summary>
/// /crm/v3/properties/{objectType}: read, create and archive property definitions. A portal starts with HubSpot's own
/// properties only; a custom one (such as Deskbridge's <c>opencx_handedoff</c>) exists once it is created here.
/// </summary>
public static class PropertiesApi
{
    public static RouteGroupBuilder MapPropertiesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/crm/v3/properties/{objectType}").RequirePrivateAppToken();
        api.MapGet("/", (string objectType, bool? archived, PropertyCatalog catalog) =>
            RecordType(objectType) is { } type
                ? TypedResults.Ok(new PagedResults<PropertyDefinition>(archived == true ? catalog.Archived(type) : catalog.For(type)))
                : UnknownType(objectType)).RequireScopes(ReadScope);
        api.MapGet("/{propertyName}", (string objectType, string propertyName, PropertyCatalog catalog) =>
            RecordType(objectType) is { } type && catalog.Find(type, propertyName) is { } definition
                ? TypedResults.Ok(definition)
                : (IResult)HubSpotErrors.NotFound($"Property {propertyName} does not exist")).RequireScopes(ReadScope);
        api.MapPost("/", CreateAsync).RequireScopes(SchemaWriteScope);
        api.MapDelete("/{propertyName}", Archive).RequireScopes(SchemaWriteScope);
        return api;
    }

    private static async Task<IResult> CreateAsync(string objectType, HttpRequest request, PropertyCatalog catalog)
    {
        if (RecordType(objectType) is not { } type)
        {
            return UnknownType(objectType);
        }

        JsonElement body;
        try
        {
            body = (await JsonDocument.ParseAsync(request.Body)).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return HubSpotErrors.Validation($"Invalid input JSON: {ex.Message}");
        }

        var (definition, problem) = PropertyCreateValidator.Validate(type, body, catalog);
        if (problem is not null)
        {
            return problem;
        }

        return catalog.TryAdd(type, definition!)
            ? TypedResults.Created($"/crm/v3/properties/{type}/{definition!.Name}", definition)
            : HubSpotErrors.Result(StatusCodes.Status409Conflict, new HubSpotErrorBody
            {
                Message = $"Property named '{definition!.Name}' already exists.",
                Category = "OBJECT_ALREADY_EXISTS",
                Errors = [new HubSpotErrorDetail($"Property named '{definition.Name}' already exists.", "OBJECT_ALREADY_EXISTS",
                    new Dictionary<string, IReadOnlyList<string>> { ["name"] = [definition.Name] })],
            });
    }

    private static IResult Archive(string objectType, string propertyName, PropertyCatalog catalog)
    {
        if (RecordType(objectType) is not { } type)
        {
            return UnknownType(objectType);
        }

        var definition = catalog.Find(type, propertyName);
        if (definition is null)
        {
            return HubSpotErrors.NotFound($"Property {propertyName} does not exist");
        }

        // HubSpot's own properties cannot be deleted; custom ones go to the recycling bin.
        if (definition.HubspotDefined || !definition.ModificationMetadata.Archivable)
        {
            return HubSpotErrors.Validation($"{propertyName} is a HubSpot-defined property and cannot be archived.");
        }

        catalog.Archive(type, propertyName);
        return TypedResults.NoContent();
    }

    private static string? RecordType(string objectType) =>
        CrmObjectTypes.Normalize(objectType) is { } type && CrmObjectTypes.Records.Contains(type) ? type : null;

    private static IResult UnknownType(string objectType) => HubSpotErrors.Validation($"Unable to infer object type from: {objectType}");

    // Reading property definitions needs the object's read scope or its schema scope.
    private static IReadOnlyList<IReadOnlyList<string>> ReadScope(HttpContext context) =>
        RecordType(context.GetRouteValue("objectType") as string ?? "") is { } type
            ? [[CrmObjectTypes.ReadScope(type), $"crm.schemas.{type}.read"]]
            : [];

    // Changing the schema needs the schema write scope; for tickets HubSpot's spec also accepts `tickets`.
    private static IReadOnlyList<IReadOnlyList<string>> SchemaWriteScope(HttpContext context) =>
        RecordType(context.GetRouteValue("objectType") as string ?? "") is { } type
            ? [type == CrmObjectTypes.Tickets ? [Scopes.Tickets, "crm.schemas.tickets.write"] : [$"crm.schemas.{type}.write"]]
            : [];
}
