using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Deskbridge.HubSpot;

/// <summary>
/// The HubSpot calls Deskbridge makes, and nothing else. Retries, timeouts, the per-portal circuit breaker
/// and the per-portal limiter live in the handler pipeline (see <see cref="HubSpotRegistration"/>);
/// this class turns every outcome into a <see cref="HubSpotResult{T}"/>.
/// </summary>
public sealed partial class HubSpotClient(HttpClient http, ILogger<HubSpotClient> logger)
{
    private static readonly HttpRequestOptionsKey<long> PortalKey = new("Deskbridge.HubSpotPortal");

    /// <summary>The portal a request is made for, as the handlers below the client (limiter, circuit, health) see it; 0 when unknown.</summary>
    public static long PortalOf(HttpRequestMessage request) => request.Options.TryGetValue(PortalKey, out var portal) ? portal : 0;

    private static readonly HttpRequestOptionsKey<Guid> AppInstallationKey = new("Deskbridge.HubSpotAppInstallation");

    /// <summary>The organization whose OAuth app installation a request is made for (its token is the app's to choose).</summary>
    public static Guid? AppInstallationOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(AppInstallationKey, out var organization) ? organization : null;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public Task<HubSpotResult<HubSpotThread>> GetThreadAsync(HubSpotPortal portal, string threadId, CancellationToken ct) =>
        SendAsync<HubSpotThread>(portal, HttpMethod.Get, $"conversations/v3/conversations/threads/{Escape(threadId)}?association=TICKET", null, ct);

    public Task<HubSpotResult<HubSpotMessage>> GetMessageAsync(HubSpotPortal portal, string threadId, string messageId, CancellationToken ct) =>
        SendAsync<HubSpotMessage>(portal, HttpMethod.Get, $"conversations/v3/conversations/threads/{Escape(threadId)}/messages/{Escape(messageId)}", null, ct);

    /// <summary>A page of a thread's messages in the order asked for: HubSpot's default is newest first, so the order is always sent.</summary>
    public Task<HubSpotResult<HubSpotPage<HubSpotMessage>>> ListMessagesAsync(
        HubSpotPortal portal, string threadId, MessageOrder order, string? after, CancellationToken ct) =>
        SendAsync<HubSpotPage<HubSpotMessage>>(portal, HttpMethod.Get,
            $"conversations/v3/conversations/threads/{Escape(threadId)}/messages?limit=100&sort={(order == MessageOrder.NewestFirst ? "-createdAt" : "createdAt")}"
            + (after is null ? "" : "&after=" + Escape(after)), null, ct);

    public Task<HubSpotResult<HubSpotMessage>> PostMessageAsync(HubSpotPortal portal, string threadId, HubSpotNewMessage message, CancellationToken ct) =>
        SendAsync<HubSpotMessage>(portal, HttpMethod.Post, $"conversations/v3/conversations/threads/{Escape(threadId)}/messages", message, ct);

    public Task<HubSpotResult<HubSpotTokenInfo>> GetTokenInfoAsync(HubSpotPortal portal, CancellationToken ct) =>
        SendAsync<HubSpotTokenInfo>(portal, HttpMethod.Post, "oauth/v2/private-apps/get/access-token-info", new { tokenKey = portal.AccessToken }, ct);

    public Task<HubSpotResult<HubSpotAccountDetails>> GetAccountDetailsAsync(HubSpotPortal portal, CancellationToken ct) =>
        SendAsync<HubSpotAccountDetails>(portal, HttpMethod.Get, "account-info/v3/details", null, ct);

    /// <summary>A page of the portal's owners (users with their names, e-mails and user ids), for choosing the AI user.</summary>
    public Task<HubSpotResult<HubSpotPage<HubSpotOwner>>> ListOwnersAsync(HubSpotPortal portal, string? after, CancellationToken ct) =>
        SendAsync<HubSpotPage<HubSpotOwner>>(portal, HttpMethod.Get, "crm/v3/owners?limit=100" + (after is null ? "" : "&after=" + Escape(after)), null, ct);

    public Task<HubSpotResult<HubSpotOwner>> GetOwnerByUserIdAsync(HubSpotPortal portal, long userId, CancellationToken ct) =>
        SendAsync<HubSpotOwner>(portal, HttpMethod.Get, $"crm/v3/owners/{userId}?idProperty=userId", null, ct);

    private async Task<HubSpotResult<T>> SendAsync<T>(HubSpotPortal portal, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, portal.ApiBaseUrl is { } baseUrl ? new Uri(baseUrl, path) : new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new("Bearer", portal.AccessToken);
        request.Options.Set(PortalKey, portal.PortalId);
        if (portal.AppInstallation is { } installation)
        {
            request.Options.Set(AppInstallationKey, installation);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            if (response.IsSuccessStatusCode)
            {
                var value = await response.Content.ReadFromJsonAsync<T>(Json, ct);
                return value is null
                    ? HubSpotResult<T>.Fail(new(HubSpotErrorKind.ServerError, (int)response.StatusCode, "HubSpot returned an empty body", []))
                    : HubSpotResult<T>.Ok(value);
            }

            var error = await ReadErrorAsync(response, ct);
            LogCallFailed(logger, method.Method, StripQuery(path), portal.PortalId, error.StatusCode, error.Kind);
            return HubSpotResult<T>.Fail(error);
        }
        catch (BrokenCircuitException ex)
        {
            return Fault<T>(method, path, portal, new(HubSpotErrorKind.CircuitOpen, null, $"Circuit open for portal {portal.PortalId}: {ex.Message}", []));
        }
        catch (TimeoutRejectedException ex)
        {
            return Fault<T>(method, path, portal, new(HubSpotErrorKind.Timeout, null, ex.Message, []));
        }
        catch (HttpRequestException ex)
        {
            return Fault<T>(method, path, portal, new(HubSpotErrorKind.Network, null, ex.Message, []));
        }
        catch (JsonException ex)
        {
            return Fault<T>(method, path, portal, new(HubSpotErrorKind.ServerError, null, $"Unreadable HubSpot response: {ex.Message}", []));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Fault<T>(method, path, portal, new(HubSpotErrorKind.Timeout, null, "HubSpot did not answer in time", []));
        }
    }

    private HubSpotResult<T> Fault<T>(HttpMethod method, string path, HubSpotPortal portal, HubSpotError error)
    {
        LogCallFailed(logger, method.Method, StripQuery(path), portal.PortalId, null, error.Kind);
        return HubSpotResult<T>.Fail(error);
    }

    internal static async Task<HubSpotError> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        HubSpotErrorBody? body = null;
        try
        {
            body = await response.Content.ReadFromJsonAsync<HubSpotErrorBody>(Json, ct);
        }
        catch (JsonException)
        {
            // Not every error (a proxy's 502, say) comes with HubSpot's JSON body.
        }

        var message = body?.Message ?? response.ReasonPhrase ?? "HubSpot error";
        var kind = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => HubSpotErrorKind.Unauthorized,
            HttpStatusCode.Forbidden => HubSpotErrorKind.MissingScopes,
            HttpStatusCode.NotFound => HubSpotErrorKind.NotFound,
            HttpStatusCode.Conflict => HubSpotErrorKind.Conflict,
            HttpStatusCode.TooManyRequests => HubSpotErrorKind.RateLimited,
            HttpStatusCode.RequestTimeout => HubSpotErrorKind.Timeout,
            _ when status >= 500 => HubSpotErrorKind.ServerError,
            _ => HubSpotErrorKind.BadRequest,
        };
        var scopes = body?.Errors?
            .SelectMany(e => (IEnumerable<string>?)e.Context?.RequiredGranularScopes ?? e.Context?.RequiredScopes ?? [])
            .Distinct(StringComparer.Ordinal)
            .ToList() ?? [];
        var existingId = kind == HubSpotErrorKind.Conflict ? ExistingIdPattern().Match(message) is { Success: true } m ? m.Groups[1].Value : null : null;
        return new HubSpotError(kind, status, message, scopes, body?.Category, existingId);
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string StripQuery(string path) => path.Split('?')[0];

    [GeneratedRegex(@"Existing ID:\s*(\d+)")]
    private static partial Regex ExistingIdPattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "HubSpot {Method} {Path} for portal {PortalId} failed: {StatusCode} {Kind}")]
    private static partial void LogCallFailed(ILogger logger, string method, string path, long portalId, int? statusCode, HubSpotErrorKind kind);

    private sealed record HubSpotErrorBody(string? Status, string? Message, string? Category, IReadOnlyList<HubSpotErrorDetail>? Errors);

    private sealed record HubSpotErrorDetail(string? Message, HubSpotErrorContext? Context);

    private sealed record HubSpotErrorContext(IReadOnlyList<string>? RequiredGranularScopes, IReadOnlyList<string>? RequiredScopes);
}
