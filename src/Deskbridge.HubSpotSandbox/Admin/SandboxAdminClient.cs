using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.HubSpotSandbox.Infrastructure;
using Deskbridge.HubSpotSandbox.Portals;
using Deskbridge.HubSpotSandbox.RateLimiting;
using Deskbridge.HubSpotSandbox.RequestLog;
using Deskbridge.HubSpotSandbox.Simulation;
using Deskbridge.HubSpotSandbox.Webhooks;

namespace Deskbridge.HubSpotSandbox.Admin;

/// <summary>
/// The sandbox's admin API (<c>/_sandbox</c>) as typed calls, for the demo and the tests. It speaks the same records the
/// endpoints bind, so a renamed field breaks the build rather than a test at run time. Every refusal throws
/// <see cref="SandboxAdminException"/> with the status and the sandbox's body: a caller sees why, not just that it failed.
/// Thread and CRM inspection answer the wire JSON on purpose: tests read HubSpot's own message shapes from it.
/// </summary>
public sealed class SandboxAdminClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = SandboxJson.Options;
    private long? _portalId;
    private string? _scope;

    public HttpClient Http => http;

    /// <summary>The portal this client's calls are for; null: the default portal (plain /_sandbox/…).</summary>
    public long? PortalId => _portalId;

    /// <summary>The same calls for another portal (/_sandbox/portals/{portalId}/…), over the same HttpClient.</summary>
    public SandboxAdminClient ForPortal(long portalId) => new(http) { _portalId = portalId, _scope = "portals" };

    /// <summary>The webhook calls (settings, subscriptions, deliveries, events) for a public app's app-level webhooks (/_sandbox/apps/{appId}/…).</summary>
    public SandboxAdminClient ForApp(long appId) => new(http) { _portalId = appId, _scope = "apps" };

    // Public (OAuth) apps, always the sandbox's.
    /// <summary>A public app with its client id and secret, redirect URLs, scopes, token lifetime and app-level webhook target.</summary>
    public Task<OAuth.OAuthAppView> CreateOAuthAppAsync(OAuth.OAuthAppCreate app, CancellationToken ct = default) =>
        SendAsync<OAuth.OAuthAppView>(HttpMethod.Post, "_sandbox/oauth/apps", app, ct, perPortal: false);

    public Task<OAuth.OAuthAppView> OAuthAppAsync(long appId, CancellationToken ct = default) =>
        SendAsync<OAuth.OAuthAppView>(HttpMethod.Get, $"_sandbox/oauth/apps/{appId.ToString(System.Globalization.CultureInfo.InvariantCulture)}", null, ct, perPortal: false);

    /// <summary>The account removes the app: its refresh and access tokens stop working, its app webhooks stop.</summary>
    public Task UninstallAppAsync(long appId, long portalId, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Delete, $"_sandbox/oauth/apps/{appId.ToString(System.Globalization.CultureInfo.InvariantCulture)}/installs/{portalId.ToString(System.Globalization.CultureInfo.InvariantCulture)}", null, ct, perPortal: false);

    /// <summary>Ends every access token of the app now: the next call with one gets 401 EXPIRED_AUTHENTICATION.</summary>
    public async Task<int> ExpireAccessTokensAsync(long appId, CancellationToken ct = default) =>
        (await SendAsync<OAuth.ExpiredTokens>(HttpMethod.Post, $"_sandbox/oauth/apps/{appId.ToString(System.Globalization.CultureInfo.InvariantCulture)}/access-tokens/expire", null, ct, perPortal: false)).Expired;

    // Portals (always the sandbox's list, whichever portal this client is for).
    /// <summary>Creates a portal with its own ids, token, users, inbox, webhook target, secret, subscriptions and limits.</summary>
    public Task<PortalView> CreatePortalAsync(PortalCreate portal, CancellationToken ct = default) =>
        SendAsync<PortalView>(HttpMethod.Post, "_sandbox/portals", portal, ct, perPortal: false);

    public async Task<IReadOnlyList<PortalView>> PortalsAsync(CancellationToken ct = default) =>
        (await SendAsync<PagedResults<PortalView>>(HttpMethod.Get, "_sandbox/portals", null, ct, perPortal: false)).Results;

    public Task<SandboxInfo> InfoAsync(CancellationToken ct = default) => GetAsync<SandboxInfo>("_sandbox", ct);

    public Task ResetAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Post, "_sandbox/reset", null, ct);

    // Tokens.
    public Task<TokenView> CreateTokenAsync(IReadOnlyList<string> scopes, CancellationToken ct = default) =>
        PostAsync<TokenView>("_sandbox/tokens", new CreateTokenRequest(scopes), ct);

    public async Task<IReadOnlyList<TokenSummary>> TokensAsync(CancellationToken ct = default) =>
        (await GetAsync<PagedResults<TokenSummary>>("_sandbox/tokens", ct)).Results;

    public Task RevokeTokenAsync(string token, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Delete, $"_sandbox/tokens/{Uri.EscapeDataString(token)}", null, ct);

    // Rate limits.
    public Task<RateLimitSettings> RateLimitsAsync(CancellationToken ct = default) => GetAsync<RateLimitSettings>("_sandbox/rate-limits", ct);

    /// <summary>Changes the limits named (the others stay) and resets the counters.</summary>
    public Task<RateLimitSettings> SetRateLimitsAsync(int? requestsPer10Seconds = null, int? searchRequestsPerSecond = null, int? dailyRequestLimit = null,
        CancellationToken ct = default) =>
        SendAsync<RateLimitSettings>(HttpMethod.Put, "_sandbox/rate-limits", new RateLimitUpdate(requestsPer10Seconds, searchRequestsPerSecond, dailyRequestLimit), ct);

    // Faults.
    public Task<FaultView> AddFaultAsync(FaultRequest fault, CancellationToken ct = default) => PostAsync<FaultView>("_sandbox/faults", fault, ct);

    public async Task<IReadOnlyList<FaultView>> FaultsAsync(CancellationToken ct = default) =>
        (await GetAsync<PagedResults<FaultView>>("_sandbox/faults", ct)).Results;

    public Task ClearFaultsAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Delete, "_sandbox/faults", null, ct);

    public Task RemoveFaultAsync(string id, CancellationToken ct = default) => SendAsync(HttpMethod.Delete, $"_sandbox/faults/{id}", null, ct);

    // Request log.
    public Task<RequestLogView> RequestsSinceAsync(long sequence = 0, CancellationToken ct = default) =>
        GetAsync<RequestLogView>($"_sandbox/requests?since={sequence}", ct);

    // Routing.
    public async Task<IReadOnlyList<InboxRoute>> RoutingAsync(CancellationToken ct = default) =>
        (await GetAsync<PagedResults<InboxRoute>>("_sandbox/routing", ct)).Results;

    public Task<InboxRoute> RouteInboxAsync(string inboxId, long? assigneeUserId, CancellationToken ct = default) =>
        SendAsync<InboxRoute>(HttpMethod.Put, $"_sandbox/routing/{inboxId}", new RouteUpdate(assigneeUserId), ct);

    // Simulations.
    public Task<CustomerMessageResponse> CustomerWritesAsync(CustomerMessageRequest message, CancellationToken ct = default) =>
        PostAsync<CustomerMessageResponse>("_sandbox/simulate/customer-message", message, ct);

    public Task<AgentMessageResponse> AgentWritesAsync(AgentMessageRequest message, CancellationToken ct = default) =>
        PostAsync<AgentMessageResponse>("_sandbox/simulate/agent-message", message, ct);

    public Task<AgentMessageResponse> BotWritesAsync(BotMessageRequest message, CancellationToken ct = default) =>
        PostAsync<AgentMessageResponse>("_sandbox/simulate/bot-message", message, ct);

    public Task<JsonObject> AssignAsync(string threadId, long? userId, CancellationToken ct = default) =>
        PostAsync<JsonObject>("_sandbox/simulate/assign", new AssignRequest(threadId, userId), ct);

    public Task<JsonObject> SetThreadStatusAsync(string threadId, string status, CancellationToken ct = default) =>
        PostAsync<JsonObject>("_sandbox/simulate/thread-status", new ThreadStatusRequest(threadId, status), ct);

    public Task<TicketPropertyResponse> EditTicketAsync(TicketPropertyRequest edit, CancellationToken ct = default) =>
        PostAsync<TicketPropertyResponse>("_sandbox/simulate/ticket-property", edit, ct);

    // Inspection (wire JSON: thread + messages, CRM records with every property).
    public Task<JsonObject> ThreadAsync(string threadId, CancellationToken ct = default) => GetAsync<JsonObject>($"_sandbox/threads/{threadId}", ct);

    public async Task<IReadOnlyList<JsonObject>> ThreadsAsync(CancellationToken ct = default) => Results(await GetAsync<JsonObject>("_sandbox/threads", ct));

    /// <summary>Every message of a thread as the sandbox holds it (comments and system items included), oldest first.</summary>
    public async Task<IReadOnlyList<JsonObject>> MessagesAsync(string threadId, CancellationToken ct = default) =>
        [.. (await ThreadAsync(threadId, ct))["messages"]!.AsArray().Select(m => m!.AsObject())];

    public Task<JsonObject> CrmRecordAsync(string objectType, string id, CancellationToken ct = default) =>
        GetAsync<JsonObject>($"_sandbox/{objectType}/{id}", ct);

    public async Task<IReadOnlyList<JsonObject>> CrmRecordsAsync(string objectType, CancellationToken ct = default) =>
        Results(await GetAsync<JsonObject>($"_sandbox/{objectType}", ct));

    // Webhooks.
    public Task<AdminWebhookSettingsView> WebhookSettingsAsync(CancellationToken ct = default) =>
        GetAsync<AdminWebhookSettingsView>("_sandbox/webhooks/settings", ct);

    public Task<AdminWebhookSettingsView> SetWebhookSettingsAsync(string? targetUrl, int? maxConcurrentRequests = null, CancellationToken ct = default) =>
        SendAsync<AdminWebhookSettingsView>(HttpMethod.Put, "_sandbox/webhooks/settings", new AdminWebhookSettingsUpdate(targetUrl, maxConcurrentRequests), ct);

    public async Task<IReadOnlyList<SubscriptionDto>> SubscriptionsAsync(CancellationToken ct = default) =>
        (await GetAsync<PagedResults<SubscriptionDto>>("_sandbox/webhooks/subscriptions", ct)).Results;

    public Task<SubscriptionDto> SubscribeAsync(string eventType, string? propertyName = null, bool active = true, CancellationToken ct = default) =>
        PostAsync<SubscriptionDto>("_sandbox/webhooks/subscriptions", new AdminSubscriptionCreate(eventType, propertyName, active), ct);

    public Task ClearSubscriptionsAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Delete, "_sandbox/webhooks/subscriptions", null, ct);

    /// <summary>Holds deliveries: events queue until <see cref="ResumeWebhooksAsync"/>.</summary>
    public Task PauseWebhooksAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Post, "_sandbox/webhooks/pause", null, ct);

    /// <summary>Releases held deliveries: they go out in batches, in the order they were published.</summary>
    public Task ResumeWebhooksAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Post, "_sandbox/webhooks/resume", null, ct);

    public Task<DeliveriesView> DeliveriesAsync(CancellationToken ct = default) => GetAsync<DeliveriesView>("_sandbox/webhooks/deliveries", ct);

    public async Task<IReadOnlyList<WebhookEvent>> PublishedEventsAsync(CancellationToken ct = default) =>
        (await GetAsync<PagedResults<WebhookEvent>>("_sandbox/webhooks/events", ct)).Results;

    private static IReadOnlyList<JsonObject> Results(JsonObject page) => [.. page["results"]!.AsArray().Select(r => r!.AsObject())];

    private Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, ct);

    private Task<T> PostAsync<T>(string path, object body, CancellationToken ct) => SendAsync<T>(HttpMethod.Post, path, body, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct, bool perPortal = true)
    {
        var text = await SendAsync(method, path, body, ct, perPortal);
        return JsonSerializer.Deserialize<T>(text, Json) ?? throw new SandboxAdminException(method, path, 200, text);
    }

    private async Task<string> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct, bool perPortal = true)
    {
        if (perPortal && _portalId is { } portalId)
        {
            path = $"_sandbox/{_scope}/{portalId.ToString(System.Globalization.CultureInfo.InvariantCulture)}/" + path["_sandbox".Length..].TrimStart('/');
        }
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode ? text : throw new SandboxAdminException(method, path, (int)response.StatusCode, text);
    }
}

/// <summary>The sandbox's admin API refused a call (or answered nothing readable); the message holds its answer.</summary>
public sealed class SandboxAdminException(HttpMethod method, string path, int statusCode, string body)
    : Exception($"Sandbox {method} /{path} answered {statusCode}: {body}")
{
    public int StatusCode { get; } = statusCode;

    public string Body { get; } = body;
}
