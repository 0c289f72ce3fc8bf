using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox;

namespace Deskbridge.Tests.Infrastructure;

/// <summary>
/// A HubSpot sandbox and a Deskbridge service, both on real ports, with one organization connected to the sandbox's
/// portal through the admin API and the portal's webhooks pointed at the organization's signed URL — the loop as a
/// customer would run it, minus HubSpot itself.
/// </summary>
public sealed class ConnectedWorld : IAsyncDisposable
{
    private ConnectedWorld(HubSpotSandboxServer sandbox, DeskbridgeTestHost deskbridge, AdminApi.Organization organization)
    {
        Sandbox = sandbox;
        Deskbridge = deskbridge;
        Organization = organization;
        SandboxHttp = new HttpClient { BaseAddress = sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HubSpotSandboxServer Sandbox { get; }
    public DeskbridgeTestHost Deskbridge { get; private set; }
    public AdminApi.Organization Organization { get; }
    public HttpClient SandboxHttp { get; }
    public string AiActor => $"A-{Sandbox.Options.AiUserId}";
    public long HumanUserId => Sandbox.Options.HumanUserId;

    public static async Task<ConnectedWorld> StartAsync(IDictionary<string, string?>? settings = null, Action<SandboxOptions>? sandboxOptions = null,
        Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var options = new SandboxOptions { WebhookMaxConcurrentRequests = 100, WebhookRetryWindow = TimeSpan.FromSeconds(200) };
        sandboxOptions?.Invoke(options);
        var sandbox = await HubSpotSandboxServer.StartAsync(options);
        var deskbridge = await DeskbridgeTestHost.StartAsync(settings: settings, configure: configure);
        var organization = await deskbridge.CreateOrganizationAsync("Demo Shop", slug: "demo");
        var world = new ConnectedWorld(sandbox, deskbridge, organization);
        await world.ConnectAsync(options.DemoToken, options.ClientSecret);
        await world.PointWebhooksAtDeskbridgeAsync();
        return world;
    }

    public async Task ConnectAsync(string token, string? clientSecret)
    {
        var response = await Deskbridge.Http.PutAsJsonAsync($"api/organizations/{Organization.Id}/hubspot", new
        {
            accessToken = token,
            defaultUserId = Sandbox.Options.AiUserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            clientSecret,
            apiBaseUrl = Sandbox.BaseAddress.ToString(),
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"connect failed: {body}");
    }

    public async Task PointWebhooksAtDeskbridgeAsync()
    {
        var url = new Uri(Deskbridge.BaseAddress, new Uri(Organization.WebhookUrl).AbsolutePath);
        (await SandboxHttp.PutAsJsonAsync("_sandbox/webhooks/settings", new { targetUrl = url, maxConcurrentRequests = 100 })).EnsureSuccessStatusCode();
        foreach (var eventType in new[] { "conversation.creation", "conversation.newMessage" })
        {
            (await SandboxHttp.PostAsJsonAsync("_sandbox/webhooks/subscriptions", new { eventType, active = true })).EnsureSuccessStatusCode();
        }
        foreach (var property in new[] { "subject", "content", "hs_pipeline_stage", "hs_ticket_priority" })
        {
            (await SandboxHttp.PostAsJsonAsync("_sandbox/webhooks/subscriptions", new { eventType = "ticket.propertyChange", propertyName = property, active = true })).EnsureSuccessStatusCode();
        }
    }

    public async Task SettingsAsync(object settings) =>
        (await Deskbridge.Http.PutAsJsonAsync($"api/organizations/{Organization.Id}/settings", settings)).EnsureSuccessStatusCode();

    public sealed record Written(string ThreadId, string MessageId, string? ContactId, string? TicketId, bool NewThread);

    public async Task<Written> CustomerWritesAsync(string text, string channel = "chat", string? threadId = null, string? email = null,
        string? subject = null, long? assigneeUserId = null)
    {
        var response = await SandboxHttp.PostAsJsonAsync("_sandbox/simulate/customer-message", new
        {
            threadId,
            channel,
            email = email ?? $"customer-{Guid.NewGuid():N}@example.com",
            name = "Casey Customer",
            text,
            subject,
            assigneeUserId,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonSerializer.Deserialize<Written>(body, DeskbridgeTestHost.Json)!;
    }

    /// <summary>A new chat thread whose ticket HubSpot does not create, as on channels HubSpot does not own.</summary>
    public async Task<Written> CustomerWritesWithoutTicketAsync(string email, string text = "Hello")
    {
        var response = await SandboxHttp.PostAsJsonAsync("_sandbox/simulate/customer-message",
            new { channel = "chat", email, name = "Casey Customer", text, withoutTicket = true });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonSerializer.Deserialize<Written>(body, DeskbridgeTestHost.Json)!;
    }

    public async Task AgentWritesAsync(string threadId, string text, string type = "MESSAGE", long? userId = null) =>
        (await SandboxHttp.PostAsJsonAsync("_sandbox/simulate/agent-message", new { threadId, text, type, userId })).EnsureSuccessStatusCode();

    public async Task AssignAsync(string threadId, long? userId) =>
        (await SandboxHttp.PostAsJsonAsync("_sandbox/simulate/assign", new { threadId, userId })).EnsureSuccessStatusCode();

    /// <summary>All messages of a thread as the sandbox holds them (comments included).</summary>
    public async Task<List<JsonObject>> MessagesAsync(string threadId)
    {
        var thread = await SandboxHttp.GetFromJsonAsync<JsonObject>($"_sandbox/threads/{threadId}");
        return thread!["messages"]!.AsArray().Select(m => m!.AsObject()).ToList();
    }

    public async Task<List<JsonObject>> MessagesFromAsync(string threadId, string actorId) =>
        (await MessagesAsync(threadId)).Where(m => (string?)m["senders"]?[0]?["actorId"] == actorId || (string?)m["createdBy"] == actorId).ToList();

    /// <summary>Waits until every event of the thread has its final fate.</summary>
    public Task<List<AdminApi.EventView>> SettledEventsAsync(string threadId, int atLeast, TimeSpan? timeout = null) =>
        AdminApi.EventuallyAsync(() => Deskbridge.EventsAsync(Organization.Id, $"&threadId={threadId}"),
            events => events.Count >= atLeast && events.All(e => e.Status == "Done"), timeout, $"{atLeast} settled events on thread {threadId}");

    public async Task<long> RequestSequenceAsync() =>
        (await SandboxHttp.GetFromJsonAsync<JsonObject>("_sandbox/requests?since=0"))!["lastSequence"]!.GetValue<long>();

    public async Task<List<JsonObject>> RequestsSinceAsync(long sequence) =>
        (await SandboxHttp.GetFromJsonAsync<JsonObject>($"_sandbox/requests?since={sequence}"))!["results"]!.AsArray().Select(r => r!.AsObject()).ToList();

    public async Task AddFaultAsync(object fault) =>
        (await SandboxHttp.PostAsJsonAsync("_sandbox/faults", fault)).EnsureSuccessStatusCode();

    public async Task ClearFaultsAsync() => (await SandboxHttp.DeleteAsync("_sandbox/faults")).EnsureSuccessStatusCode();

    /// <summary>Stops Deskbridge (as a crash or deploy would) and starts a new process on the same database.</summary>
    public async Task RestartDeskbridgeAsync(IDictionary<string, string?>? settings = null)
    {
        var stopped = await StopDeskbridgeAsync();
        await StartDeskbridgeAgainAsync(stopped, settings);
    }

    /// <summary>Stops Deskbridge; HubSpot (the sandbox) goes on, and its webhooks fail until <see cref="StartDeskbridgeAgainAsync"/>.</summary>
    public async Task<(string Data, int Port)> StopDeskbridgeAsync()
    {
        var stopped = (Deskbridge.DataDirectory, Deskbridge.BaseAddress.Port);
        await Deskbridge.DisposeAsync();
        return stopped;
    }

    public async Task StartDeskbridgeAgainAsync((string Data, int Port) stopped, IDictionary<string, string?>? settings = null) =>
        Deskbridge = await DeskbridgeTestHost.StartAsync(stopped.Data, settings, stopped.Port);

    public async ValueTask DisposeAsync()
    {
        SandboxHttp.Dispose();
        await Deskbridge.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    /// <summary>A CRM record as the sandbox holds it: every property and its associations (type → [{id, typeIds}]).</summary>
    public async Task<JsonObject> CrmRecordAsync(string objectType, string id) =>
        (await SandboxHttp.GetFromJsonAsync<JsonObject>($"_sandbox/{objectType}/{id}"))!;

    public async Task<List<JsonObject>> CrmRecordsAsync(string objectType) =>
        (await SandboxHttp.GetFromJsonAsync<JsonObject>($"_sandbox/{objectType}"))!["results"]!.AsArray().Select(r => r!.AsObject()).ToList();

    /// <summary>A private-app token of the sandbox portal with exactly these scopes.</summary>
    public async Task<string> CreateTokenAsync(params string[] scopes)
    {
        var response = await SandboxHttp.PostAsJsonAsync("_sandbox/tokens", new { scopes });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    /// <summary>Holds the sandbox's webhooks: Deskbridge hears nothing of the threads a test creates.</summary>
    public async Task PauseWebhooksAsync() => (await SandboxHttp.PostAsync("_sandbox/webhooks/pause", null)).EnsureSuccessStatusCode();

    /// <summary>Releases the held webhooks: they go out in batches, in the order they were published.</summary>
    public async Task ResumeWebhooksAsync() => (await SandboxHttp.PostAsync("_sandbox/webhooks/resume", null)).EnsureSuccessStatusCode();

    public async Task RoutingRulesAsync(object rules) =>
        (await Deskbridge.Http.PutAsJsonAsync($"api/organizations/{Organization.Id}/routing-rules", rules)).EnsureSuccessStatusCode();
}
