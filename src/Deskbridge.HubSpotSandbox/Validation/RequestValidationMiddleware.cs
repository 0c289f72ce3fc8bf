using System.Text.Json;
using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Errors;

namespace Deskbridge.HubSpotSandbox.Validation;

/// <summary>The body shape an endpoint accepts (see <see cref="RequestShapes"/>).</summary>
public sealed record BodyShapeMetadata(JsonShape Shape);

public static class BodyShapeEndpointExtensions
{
    public static TBuilder AcceptsBody<TBuilder>(this TBuilder builder, JsonShape shape) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyShapeMetadata(shape));
}

/// <summary>
/// HubSpot answers a bad request body with its own 400 body (category VALIDATION_ERROR, errors[] naming the field),
/// never with an empty 400. Runs after authentication, rate limits and scopes, as HubSpot checks those first.
/// Public endpoints: malformed JSON and bodies that do not match the endpoint's shape are refused here, before
/// binding; anything ASP.NET Core still cannot bind (a query parameter that is not a number, say) is turned into
/// the same body.
/// </summary>
internal sealed class RequestValidationMiddleware(RequestDelegate next)
{
    private const int MaxListedErrors = 20;

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var isPublic = endpoint?.Metadata.GetMetadata<HubSpotApiMetadata>() is not null;
        if (isPublic && HasBody(context.Request))
        {
            var shape = endpoint!.Metadata.GetMetadata<BodyShapeMetadata>()?.Shape;
            if (await CheckBodyAsync(context.Request, shape) is { } refusal)
            {
                await refusal.ExecuteAsync(context);
                return;
            }
        }
        else if (isPublic && endpoint!.Metadata.GetMetadata<BodyShapeMetadata>() is not null)
        {
            await HubSpotErrors.Validation("A request body is required.", [new("A request body is required.", "REQUIRED", In: "body")]).ExecuteAsync(context);
            return;
        }

        try
        {
            await next(context);
            if (isPublic && context.Response.StatusCode == StatusCodes.Status400BadRequest && !context.Response.HasStarted
                && context.Response.ContentType is null)
            {
                // ASP.NET Core's own empty 400 (a parameter that did not bind); HubSpot always says why.
                const string message = "Invalid request: a parameter could not be read as the type the API expects.";
                await HubSpotErrors.Validation(message, [new(message, "INVALID_PARAMETER")]).ExecuteAsync(context);
            }
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // RouteHandlerOptions.ThrowOnBadRequest is on, so binding failures arrive here instead of as an empty 400.
            if (isPublic)
            {
                await HubSpotErrors.Validation(ex.Message, [new(ex.Message, "INVALID_PARAMETER")]).ExecuteAsync(context);
            }
            else
            {
                context.Response.StatusCode = ex.StatusCode;
            }
        }
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    // Not cancelled by the caller going away: like HubSpot, a request that arrived whole is carried out even when
    // the caller stops waiting (a delayed post still lands), so reading it must not depend on the caller either.
    private static async Task<IResult?> CheckBodyAsync(HttpRequest request, JsonShape? shape)
    {
        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, CancellationToken.None);
            if (shape is null)
            {
                return null;
            }

            var errors = JsonShape.Validate(shape, document.RootElement);
            if (errors.Count == 0)
            {
                return null;
            }

            var message = errors.Count == 1
                ? $"Invalid request: {errors[0].Message}"
                : $"Invalid request: {errors[0].Message} (and {errors.Count - 1} more)";
            return HubSpotErrors.Validation(message, [.. errors.Take(MaxListedErrors).Select(e => new HubSpotErrorDetail(e.Message, e.Code, In: e.In))]);
        }
        catch (JsonException ex)
        {
            // The wording of HubSpot's Jackson-based services: "Invalid input JSON on line 1, column 12: ...".
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            var message = $"Invalid input JSON on line {line}, column {column}: {FirstSentence(ex.Message)}";
            return HubSpotErrors.Validation(message, [new(message, "INVALID_JSON", In: "body")]);
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].Trim();
}
