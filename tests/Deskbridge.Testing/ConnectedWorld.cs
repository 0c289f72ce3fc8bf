using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.HubSpotSandbox.RequestLog;
using Deskbridge.HubSpotSandbox.Simulation;

namespace Deskbridge.Testing;

/// <summary>
/// A HubSpot sandbox and a Deskbridge service, both on real ports, with one organization connected to the sandbox's
/// portal through the admin API and the portal's webhooks pointed at the organization's signed URL — the loop as a
/// customer would run it, minus HubSpot itself.
/// </summary>
public sealed class ConnectedWorld : IAsyncDisposable
{
    private ConnectedWorld(HubSpotSandboxServer sandbox, DeskbridgeTestHost deskbridge, DeskbridgeApi.Organization organization)
    {
        Sandbox = sandbox;
        Deskbridge = deskbridge;
        Organization = organization;
        SandboxHttp = new HttpClient { BaseAddress = sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        SandboxAdmin = new SandboxAdminClient(SandboxHttp);
    }

    public HubSpotSandboxServer Sandbox { get; }
    public DeskbridgeTestHost Deskbridge { get; private set; }
    public DeskbridgeApi.Organization Organization { get; }
    /// <summary>Raw HTTP to the sandbox, for tests whose point is the wire shape; everything else goes through <see cref="SandboxAdmin"/>.</summary>
    public HttpClient SandboxHttp { get; }

    public SandboxAdminClient SandboxAdmin { get; }
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
        await SandboxAdmin.SetWebhookSettingsAsync(url.OriginalString, maxConcurrentRequests: 100);
        foreach (var eventType in new[] { "conversation.creation", "conversation.newMessage" })
        {
            await SandboxAdmin.SubscribeAsync(eventType);
        }
        foreach (var property in new[] { "subject", "content", "hs_pipeline_stage", "hs_ticket_priority" })
        {
            await SandboxAdmin.SubscribeAsync("ticket.propertyChange", property);
        }
    }

    public async Task SettingsAsync(object settings) =>
        (await Deskbridge.Http.PutAsJsonAsync($"api/organizations/{Organization.Id}/settings", settings)).EnsureSuccessStatusCode();

    public sealed record Written(string ThreadId, string MessageId, string? ContactId, string? TicketId, bool NewThread);

    public async Task<Written> CustomerWritesAsync(string text, string channel = "chat", string? threadId = null, string? email = null,
        string? subject = null, long? assigneeUserId = null) =>
        ToWritten(await SandboxAdmin.CustomerWritesAsync(new CustomerMessageRequest(channel, threadId, email ?? $"customer-{Guid.NewGuid():N}@example.com",
            "Casey Customer", text, RichText: null, subject, assigneeUserId, Unassigned: null)));

    /// <summary>A new chat thread whose ticket HubSpot does not create, as on channels HubSpot does not own.</summary>
    public async Task<Written> CustomerWritesWithoutTicketAsync(string email, string text = "Hello") =>
        ToWritten(await SandboxAdmin.CustomerWritesAsync(new CustomerMessageRequest("chat", ThreadId: null, email, "Casey Customer", text,
            RichText: null, Subject: null, AssigneeUserId: null, Unassigned: null, WithoutTicket: true)));

    private static Written ToWritten(CustomerMessageResponse answer) =>
        new(answer.ThreadId, answer.MessageId, answer.ContactId, answer.TicketId, answer.NewThread);

    public Task AgentWritesAsync(string threadId, string text, string type = "MESSAGE", long? userId = null) =>
        SandboxAdmin.AgentWritesAsync(new AgentMessageRequest(threadId, userId, type, text, RichText: null));

    public Task AssignAsync(string threadId, long? userId) => SandboxAdmin.AssignAsync(threadId, userId);

    /// <summary>All messages of a thread as the sandbox holds them (comments included).</summary>
    public async Task<List<JsonObject>> MessagesAsync(string threadId) => [.. await SandboxAdmin.MessagesAsync(threadId)];

    public async Task<List<JsonObject>> MessagesFromAsync(string threadId, string actorId) =>
        (await MessagesAsync(threadId)).Where(m => (string?)m["senders"]?[0]?["actorId"] == actorId || (string?)m["createdBy"] == actorId).ToList();

    /// <summary>Waits until every event of the thread has its final fate.</summary>
    public Task<List<DeskbridgeApi.EventView>> SettledEventsAsync(string threadId, int atLeast, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => Deskbridge.EventsAsync(Organization.Id, $"&threadId={threadId}"),
            events => events.Count >= atLeast && events.All(e => e.Status == "Done"), timeout, $"{atLeast} settled events on thread {threadId}");

    public async Task<long> RequestSequenceAsync() => (await SandboxAdmin.RequestsSinceAsync()).LastSequence;

    /// <summary>The public-API calls the sandbox answered after <paramref name="sequence"/> (its request log).</summary>
    public async Task<IReadOnlyList<LoggedRequest>> RequestsSinceAsync(long sequence) => (await SandboxAdmin.RequestsSinceAsync(sequence)).Results;

    public Task AddFaultAsync(FaultRequest fault) => SandboxAdmin.AddFaultAsync(fault);

    public Task ClearFaultsAsync() => SandboxAdmin.ClearFaultsAsync();

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
    public Task<JsonObject> CrmRecordAsync(string objectType, string id) => SandboxAdmin.CrmRecordAsync(objectType, id);

    public async Task<List<JsonObject>> CrmRecordsAsync(string objectType) => [.. await SandboxAdmin.CrmRecordsAsync(objectType)];

    /// <summary>A private-app token of the sandbox portal with exactly these scopes.</summary>
    public async Task<string> CreateTokenAsync(params string[] scopes) => (await SandboxAdmin.CreateTokenAsync(scopes)).Token;

    /// <summary>Holds the sandbox's webhooks: Deskbridge hears nothing of the threads a test creates.</summary>
    public Task PauseWebhooksAsync() => SandboxAdmin.PauseWebhooksAsync();

    /// <summary>Releases the held webhooks: they go out in batches, in the order they were published.</summary>
    public Task ResumeWebhooksAsync() => SandboxAdmin.ResumeWebhooksAsync();

    public async Task RoutingRulesAsync(object rules) =>
        (await Deskbridge.Http.PutAsJsonAsync($"api/organizations/{Organization.Id}/routing-rules", rules)).EnsureSuccessStatusCode();
}
