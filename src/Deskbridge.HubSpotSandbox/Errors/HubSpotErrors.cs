using System.Text.Json;
using Deskbridge.HubSpotSandbox.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Deskbridge.HubSpotSandbox.Errors;

/// <summary>Builders for HubSpot's error responses, with HubSpot's categories and messages.</summary>
public static class HubSpotErrors
{
    public const string AuthenticationMessage =
        "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview";

    public const string MissingScopesMessage =
        "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.";

    public static JsonHttpResult<HubSpotErrorBody> Result(int statusCode, HubSpotErrorBody body) =>
        TypedResults.Json(body, SandboxJson.Options, statusCode: statusCode);

    public static JsonHttpResult<HubSpotErrorBody> Unauthorized() =>
        Result(StatusCodes.Status401Unauthorized, new HubSpotErrorBody { Message = AuthenticationMessage, Category = "INVALID_AUTHENTICATION" });

    /// <summary>An OAuth access token past its expiry: HubSpot says how long ago it expired.</summary>
    public static JsonHttpResult<HubSpotErrorBody> Expired(TimeSpan ago) =>
        Result(StatusCodes.Status401Unauthorized, new HubSpotErrorBody
        {
            Message = $"The OAuth token used to make this call expired {Math.Max(1, (long)ago.TotalSeconds)} second(s) ago.",
            Category = "EXPIRED_AUTHENTICATION",
        });

    public static JsonHttpResult<HubSpotErrorBody> MissingScopes(IReadOnlyList<string> scopes)
    {
        var context = new Dictionary<string, IReadOnlyList<string>>
        {
            ["requiredGranularScopes"] = scopes,
            ["requiredScopes"] = scopes,
        };
        return Result(StatusCodes.Status403Forbidden, new HubSpotErrorBody
        {
            Message = MissingScopesMessage,
            Category = "MISSING_SCOPES",
            Errors = [new HubSpotErrorDetail("One or more of the following scopes are required.", Context: context)],
            Links = new Dictionary<string, string> { ["scopes"] = "https://developers.hubspot.com/scopes" },
        });
    }

    public static JsonHttpResult<HubSpotErrorBody> NotFound(string message = "resource not found") =>
        Result(StatusCodes.Status404NotFound, new HubSpotErrorBody { Message = message, Category = "OBJECT_NOT_FOUND" });

    public static JsonHttpResult<HubSpotErrorBody> Conflict(string message) =>
        Result(StatusCodes.Status409Conflict, new HubSpotErrorBody { Message = message, Category = "CONFLICT" });

    public static JsonHttpResult<HubSpotErrorBody> Validation(string message, IReadOnlyList<HubSpotErrorDetail>? errors = null) =>
        Result(StatusCodes.Status400BadRequest, new HubSpotErrorBody { Message = message, Category = "VALIDATION_ERROR", Errors = errors });

    /// <summary>A query or path parameter HubSpot would refuse (an enum value it does not know, say).</summary>
    public static JsonHttpResult<HubSpotErrorBody> InvalidParameter(string name, string message, string code = "INVALID_ENUM") =>
        Validation(message, [new HubSpotErrorDetail(message, code, In: name)]);

    /// <summary>CRM property validation: HubSpot lists each failure as JSON inside the message.</summary>
    public static JsonHttpResult<HubSpotErrorBody> PropertyValidation(IReadOnlyList<PropertyValidationFailure> failures)
    {
        var message = "Property values were not valid: " + JsonSerializer.Serialize(failures, SandboxJson.Options);
        var errors = failures
            .Select(f => new HubSpotErrorDetail(f.Message, f.Error, new Dictionary<string, IReadOnlyList<string>> { ["propertyName"] = [f.Name] }))
            .ToList();
        return Validation(message, errors);
    }

    public static HubSpotErrorBody RateLimitBody(string policyName) => new()
    {
        Message = $"You have reached your {policyName.ToLowerInvariant()} limit.",
        Category = "RATE_LIMITS",
        ErrorType = "RATE_LIMIT",
        PolicyName = policyName,
        RequestId = Guid.NewGuid().ToString(),
    };

    public static HubSpotErrorBody ServerError(int statusCode) => new()
    {
        Message = statusCode switch
        {
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            _ => "internal error",
        },
        Category = "INTERNAL_ERROR",
    };
}

/// <summary>One entry of HubSpot's "Property values were not valid: [...]" list.</summary>
public sealed record PropertyValidationFailure(bool IsValid, string Message, string Error, string Name, string? LocalizedErrorMessage = null)
{
    public static PropertyValidationFailure Missing(string name) =>
        new(false, $"{name} was not set", "REQUIRED_PROPERTY", name);

    public static PropertyValidationFailure DoesNotExist(string name) =>
        new(false, $"Property \"{name}\" does not exist", "PROPERTY_DOESNT_EXIST", name, $"Property \"{name}\" does not exist");

    public static PropertyValidationFailure InvalidOption(string name, string value, IEnumerable<string> allowed) =>
        new(false, $"{value} was not one of the allowed options: [{string.Join(", ", allowed)}]", "INVALID_OPTION", name);
}
