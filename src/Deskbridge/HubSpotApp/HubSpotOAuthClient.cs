using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Deskbridge.HubSpot;
using Microsoft.Extensions.Options;

namespace Deskbridge.HubSpotApp;

public sealed record OAuthTokens(string AccessToken, string RefreshToken, long ExpiresIn);

public sealed record OAuthTokenInfo(long HubId, long UserId, long AppId, string? User, IReadOnlyList<string> Scopes, long ExpiresIn);

/// <summary>Why HubSpot's OAuth endpoint said no. <paramref name="GrantGone"/>: the code or refresh token is no good any more (invalid_grant).</summary>
public sealed record OAuthFailure(int? StatusCode, string? Status, string Message, bool GrantGone)
{
    public override string ToString() => StatusCode is { } code ? $"HubSpot OAuth {code} {Status}: {Message}" : $"HubSpot OAuth: {Message}";
}

/// <summary>
/// HubSpot's OAuth v1 endpoints on the operator's API host (<see cref="HubSpotOptions.BaseUrl"/>): the token endpoint
/// (authorization_code and refresh_token grants), token introspection and refresh-token revocation. No retries here:
/// a code is single use, so a blind second POST would only burn it; the token provider retries refreshes itself.
/// </summary>
public sealed partial class HubSpotOAuthClient(HttpClient http, IOptions<HubSpotAppOptions> app, ILogger<HubSpotOAuthClient> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public Task<(OAuthTokens? Tokens, OAuthFailure? Failure)> ExchangeCodeAsync(string code, string redirectUri, CancellationToken ct) =>
        TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = app.Value.ClientId!, ["client_secret"] = app.Value.ClientSecret!,
            ["redirect_uri"] = redirectUri, ["code"] = code,
        }, ct);

    public Task<(OAuthTokens? Tokens, OAuthFailure? Failure)> RefreshAsync(string refreshToken, CancellationToken ct) =>
        TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = app.Value.ClientId!, ["client_secret"] = app.Value.ClientSecret!,
            ["refresh_token"] = refreshToken,
        }, ct);

    /// <summary>Which portal (hub_id), user and scopes an access token stands for.</summary>
    public async Task<(OAuthTokenInfo? Info, OAuthFailure? Failure)> IntrospectAsync(string accessToken, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync($"oauth/v1/access-tokens/{Uri.EscapeDataString(accessToken)}", ct);
            if (!response.IsSuccessStatusCode)
            {
                return (null, await FailureAsync(response, ct));
            }
            var body = await response.Content.ReadFromJsonAsync<IntrospectionBody>(Json, ct);
            return body is null
                ? (null, new OAuthFailure((int)response.StatusCode, null, "empty introspection answer", false))
                : (new OAuthTokenInfo(body.HubId, body.UserId, body.AppId, body.User, body.Scopes ?? [], body.ExpiresIn), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (null, new OAuthFailure(null, null, ex.Message, false));
        }
    }

    /// <summary>Deletes the refresh token at HubSpot. A token HubSpot no longer knows (404) counts as revoked.</summary>
    public async Task<OAuthFailure?> RevokeAsync(string refreshToken, CancellationToken ct)
    {
        try
        {
            using var response = await http.DeleteAsync($"oauth/v1/refresh-tokens/{Uri.EscapeDataString(refreshToken)}", ct);
            return response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.NotFound ? null : await FailureAsync(response, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new OAuthFailure(null, null, ex.Message, false);
        }
    }

    private async Task<(OAuthTokens?, OAuthFailure?)> TokenAsync(Dictionary<string, string> form, CancellationToken ct)
    {
        try
        {
            using var content = new FormUrlEncodedContent(form);
            using var response = await http.PostAsync("oauth/v1/token", content, ct);
            if (!response.IsSuccessStatusCode)
            {
                var failure = await FailureAsync(response, ct);
                LogTokenRefused(logger, form["grant_type"], failure.StatusCode, failure.Status, failure.Message);
                return (null, failure);
            }
            var body = await response.Content.ReadFromJsonAsync<TokenBody>(Json, ct);
            return body is { AccessToken.Length: > 0, RefreshToken.Length: > 0 }
                ? (new OAuthTokens(body.AccessToken, body.RefreshToken, body.ExpiresIn), null)
                : (null, new OAuthFailure((int)response.StatusCode, null, "the token answer lacks access_token or refresh_token", false));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (null, new OAuthFailure(null, null, ex.Message, false));
        }
    }

    private static async Task<OAuthFailure> FailureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ErrorBody? body = null;
        try
        {
            body = await response.Content.ReadFromJsonAsync<ErrorBody>(ct);
        }
        catch (JsonException)
        {
            // A proxy's error page: the status code is all there is.
        }
        var grantGone = body?.Error == "invalid_grant" || body?.Status is "BAD_REFRESH_TOKEN" or "BAD_AUTH_CODE";
        return new OAuthFailure((int)response.StatusCode, body?.Status, body?.Message ?? response.ReasonPhrase ?? "refused", grantGone);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "HubSpot refused the OAuth {GrantType} grant: {StatusCode} {Status} {Message}")]
    private static partial void LogTokenRefused(ILogger logger, string grantType, int? statusCode, string? status, string message);

    private sealed record TokenBody(string? AccessToken, string? RefreshToken, long ExpiresIn);

    private sealed record IntrospectionBody(long HubId, long UserId, long AppId, string? User, IReadOnlyList<string>? Scopes, long ExpiresIn);

    private sealed record ErrorBody(
        string? Status, string? Message,
        [property: JsonPropertyName("error")] string? Error);
}
