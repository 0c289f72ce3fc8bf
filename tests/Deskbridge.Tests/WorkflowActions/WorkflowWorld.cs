using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Webhooks;
using Deskbridge.HubSpotSandbox.WorkflowActions;
using Deskbridge.Testing;

namespace Deskbridge.Tests.WorkflowActions;

/// <summary>
/// A connected world whose Deskbridge is also the sandbox app's workflow-action provider: the app's id and client secret,
/// the developer key for the definitions API, and the definitions synced once through the operator command.
/// </summary>
public sealed class WorkflowWorld : IAsyncLifetime
{
    public ConnectedWorld World { get; private set; } = null!;

    public WorkflowActionsAdminClient Actions { get; private set; } = null!;

    /// <summary>Action slug → HubSpot definition id, from the first sync.</summary>
    public IReadOnlyDictionary<string, string> Definitions { get; private set; } = new Dictionary<string, string>();

    public JsonNode FirstSync { get; private set; } = null!;

    public static Dictionary<string, string?> Settings(ConnectedWorld world) => new()
    {
        ["HubSpot:App:AppId"] = world.Sandbox.Options.AppId.ToString(CultureInfo.InvariantCulture),
        ["HubSpot:App:ClientId"] = "deskbridge-test-client",
        ["HubSpot:App:ClientSecret"] = world.Sandbox.Options.ClientSecret,
        ["HubSpot:WorkflowActions:DeveloperApiKey"] = world.Sandbox.Options.DeveloperApiKey,
        ["HubSpot:WorkflowActions:ApiBaseUrl"] = world.Sandbox.BaseAddress.ToString(),
    };

    public async Task InitializeAsync()
    {
        World = await ConnectedWorld.StartAsync();
        // The sandbox's address is known once it runs: Deskbridge starts again with it (same port, same database).
        await World.RestartDeskbridgeAsync(Settings(World));
        Actions = new WorkflowActionsAdminClient(World.SandboxAdmin);
        var response = await World.Deskbridge.Http.PostAsync("api/workflow-actions/sync", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"sync answered {(int)response.StatusCode}: {text}");
        FirstSync = JsonNode.Parse(text)!;
        Definitions = FirstSync["definitions"]!.AsArray().ToDictionary(d => (string)d!["action"]!, d => (string)d!["definitionId"]!);
    }

    public async Task DisposeAsync() => await World.DisposeAsync();

    public Task<ExecutionView> RunAsync(string action, string objectType, string objectId, Dictionary<string, string>? inputs = null) =>
        Actions.RunAsync(new ExecutionRequest(Definitions[action], null, objectType, objectId, inputs ?? []));

    public Uri ActionUrl(string action) => new(World.Deskbridge.BaseAddress, $"hubspot-app/actions/{action}");

    /// <summary>A request as HubSpot signs it, for the refusals the sandbox would never send.</summary>
    public HttpRequestMessage SignedRequest(string action, string body, string? secret = null, DateTimeOffset? at = null)
    {
        var url = ActionUrl(action);
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-HubSpot-Signature-v3", WebhookSigner.SignatureV3(secret ?? World.Sandbox.Options.ClientSecret, "POST", url.AbsoluteUri, body, timestamp));
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        return request;
    }

    public static string Body(string callbackId, long portalId, string objectType, long objectId, object? inputFields = null) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            callbackId,
            origin = new { portalId, actionDefinitionId = 1001, actionDefinitionVersion = 1 },
            context = new { source = "WORKFLOWS", workflowId = 5 },
            @object = new { objectId, objectType },
            inputFields = inputFields ?? new { },
        });

    public Task<List<DeskbridgeApi.EventView>> ExecutionEventsAsync(string callbackId) =>
        World.Deskbridge.EventsAsync(World.Organization.Id, $"&eventId={Uri.EscapeDataString(callbackId)}");

    /// <summary>The AI's answers on the thread; the customer's handoff notice (G6) is the AI user's too, but no answer.</summary>
    public async Task<int> AiRepliesAsync(string threadId) =>
        (await World.MessagesFromAsync(threadId, World.AiActor)).Count(m => (string?)m["type"] == "MESSAGE"
            && ((string?)m["text"])?.Contains("A colleague will reply", StringComparison.Ordinal) != true);

    public Task<int> AiRepliesReachAsync(string threadId, int count) =>
        Eventually.UntilAsync(() => AiRepliesAsync(threadId), n => n >= count, what: $"{count} AI replies on thread {threadId}");
}
