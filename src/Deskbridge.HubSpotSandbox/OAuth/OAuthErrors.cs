using System.Text.Json;
using System.Text.Json.Serialization;

namespace Deskbridge.HubSpotSandbox.OAuth;

/// <summary>
/// The OAuth v1 endpoints answer in snake_case (access_token, expires_in, hub_id); their errors carry HubSpot's
/// <c>status</c> codes (BAD_AUTH_CODE, BAD_REFRESH_TOKEN, BAD_CLIENT_ID, BAD_REDIRECT_URI, …) and, as HubSpot's newer
/// answers do, the RFC 6749 <c>error</c> beside them (invalid_grant, invalid_client, …).
/// </summary>
public static class OAuthErrors
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IResult Bad(string status, string message, string error) =>
        TypedResults.Json(new OAuthErrorWire(status, message, Guid.NewGuid().ToString(), error, message), Infrastructure.SandboxJson.Options, statusCode: StatusCodes.Status400BadRequest);

    public static IResult BadAuthCode() => Bad("BAD_AUTH_CODE", "missing or unknown auth code", "invalid_grant");
    public static IResult BadRefreshToken() => Bad("BAD_REFRESH_TOKEN", "missing or invalid refresh token", "invalid_grant");
    public static IResult BadClientId() => Bad("BAD_CLIENT_ID", "missing or invalid client id", "invalid_client");
    public static IResult BadClientSecret() => Bad("BAD_CLIENT_SECRET", "missing or invalid client secret", "invalid_client");
    public static IResult BadRedirectUri() => Bad("BAD_REDIRECT_URI", "redirect URI does not match initial auth code URL", "invalid_grant");
    public static IResult BadGrantType(string? given) =>
        Bad("BAD_GRANT_TYPE", given is null ? "missing grant type" : $"unsupported grant type: {given}", "unsupported_grant_type");

    private sealed record OAuthErrorWire(
        string Status, string Message, string CorrelationId,
        [property: JsonPropertyName("error")] string Error,
        [property: JsonPropertyName("error_description")] string ErrorDescription);
}
