using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Crm;

/// <summary>/crm/v3/properties/{objectType}: lets callers check which properties exist before writing them.</summary>
public static class PropertiesApi
{
    public static RouteGroupBuilder MapPropertiesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/crm/v3/properties/{objectType}").RequirePrivateAppToken().RequireScopes(Scope);
        api.MapGet("/", (string objectType, PropertyCatalog catalog) =>
            CrmObjectTypes.Normalize(objectType) is { } type && CrmObjectTypes.Records.Contains(type)
                ? TypedResults.Ok(new PagedResults<PropertyDefinition>(catalog.For(type)))
                : (IResult)HubSpotErrors.NotFound($"Unable to infer object type from: {objectType}"));
        api.MapGet("/{propertyName}", (string objectType, string propertyName, PropertyCatalog catalog) =>
            CrmObjectTypes.Normalize(objectType) is { } type && catalog.Find(type, propertyName) is { } definition
                ? TypedResults.Ok(definition)
                : (IResult)HubSpotErrors.NotFound($"Property {propertyName} does not exist"));
        return api;
    }

    // Reading property definitions needs the object's read scope or its schema scope.
    private static IReadOnlyList<IReadOnlyList<string>> Scope(HttpContext context) =>
        CrmObjectTypes.Normalize(context.GetRouteValue("objectType") as string) is { } type && CrmObjectTypes.Records.Contains(type)
            ? [[CrmObjectTypes.ReadScope(type), $"crm.schemas.{type}.read"]]
            : [];
}
