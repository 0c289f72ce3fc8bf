using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotApp;
using Microsoft.Extensions.Options;

namespace Deskbridge.WorkflowActions;

public sealed record DefinitionSyncResult(IReadOnlyList<DefinitionSyncItem> Definitions);

/// <param name="Change">created, updated or unchanged.</param>
public sealed record DefinitionSyncItem(string Action, string DefinitionId, string Change, string ActionUrl);

/// <summary>
/// U3: makes the app's custom workflow action definitions in HubSpot (Automation Actions v4, developer API key) match ours,
/// idempotently: ours are found by their action URL's path, created when missing, patched when they differ, left alone
/// otherwise. Definitions of other actions of the app are never touched.
/// </summary>
public sealed partial class ActionDefinitionSync(
    HttpClient http,
    IOptions<WorkflowActionsOptions> options,
    IOptions<HubSpotAppOptions> app,
    IOptions<HubSpot.HubSpotOptions> hubSpot,
    IOptions<Webhooks.WebhookOptions> webhooks,
    Microsoft.AspNetCore.Hosting.Server.IServer server,
    ILogger<ActionDefinitionSync> logger)
{
    /// <summary>Null when sync can run; otherwise what is missing, in the operator's words.</summary>
    public string? Problem()
    {
        if (app.Value.AppId <= 0 || string.IsNullOrWhiteSpace(app.Value.ClientSecret))
        {
            return $"{HubSpotAppOptions.Section}:AppId and {HubSpotAppOptions.Section}:ClientSecret are required for workflow actions.";
        }
        if (string.IsNullOrWhiteSpace(options.Value.DeveloperApiKey))
        {
            return $"{WorkflowActionsOptions.Section}:DeveloperApiKey is required to register workflow action definitions.";
        }
        return ActionBase() is null
            ? $"{WorkflowActionsOptions.Section}:ActionBaseUrl or Webhooks:PublicBaseUrl must say where HubSpot reaches Deskbridge."
            : null;
    }

    /// <summary>The start-up sync and an operator's sync may run at once in one process: one at a time, or both create.</summary>
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public async Task<DefinitionSyncResult> SyncAsync(CancellationToken ct)
    {
        if (Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        await OneAtATime.WaitAsync(ct);
        try
        {
            var result = await SyncOnceAsync(ct);
            await ArchiveDuplicatesAsync(ct);
            return result;
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    /// <summary>
    /// Two instances starting together can each create a definition before seeing the other's: the oldest (lowest id) of an
    /// action's definitions stays, later ones are archived, so every instance converges on one definition per action.
    /// </summary>
    private async Task ArchiveDuplicatesAsync(CancellationToken ct)
    {
        var existing = await ListAsync(ct);
        foreach (var kind in WorkflowActionSlugs.All)
        {
            var ours = existing.Where(d => IsFor(d, kind))
                .OrderBy(d => long.TryParse((string?)d["id"], out var n) ? n : long.MaxValue).ToList();
            foreach (var duplicate in ours.Skip(1))
            {
                var id = (string?)duplicate["id"] ?? "";
                await SendAsync(HttpMethod.Delete, "/" + Uri.EscapeDataString(id), null, ct);
                LogDefinition(logger, kind.Slug(), id, "archived as a duplicate");
            }
        }
    }

    private async Task<DefinitionSyncResult> SyncOnceAsync(CancellationToken ct)
    {
        var existing = await ListAsync(ct);
        var items = new List<DefinitionSyncItem>();
        foreach (var kind in WorkflowActionSlugs.All)
        {
            var url = new Uri(ActionBase()!, $"{WorkflowActionSlugs.PathPrefix.TrimStart('/')}/{kind.Slug()}");
            var wanted = ActionDefinitions.Build(kind, url, options.Value.Published);
            var current = existing.FirstOrDefault(d => IsFor(d, kind));
            if (current is null)
            {
                var created = await SendAsync(HttpMethod.Post, "", wanted, ct);
                items.Add(new(kind.Slug(), (string?)created["id"] ?? "", "created", url.ToString()));
                LogDefinition(logger, kind.Slug(), (string?)created["id"] ?? "", "created");
                continue;
            }

            var id = (string?)current["id"] ?? "";
            if (ActionDefinitions.ComparedFields.All(f => JsonNode.DeepEquals(current[f], wanted[f])))
            {
                items.Add(new(kind.Slug(), id, "unchanged", url.ToString()));
                continue;
            }
            // The patch carries only what PublicActionDefinitionPatch takes (functions are not patchable).
            var patch = new JsonObject();
            foreach (var field in ActionDefinitions.ComparedFields)
            {
                patch[field] = wanted[field]!.DeepClone();
            }
            await SendAsync(HttpMethod.Patch, "/" + Uri.EscapeDataString(id), patch, ct);
            items.Add(new(kind.Slug(), id, "updated", url.ToString()));
            LogDefinition(logger, kind.Slug(), id, "updated");
        }
        return new(items);
    }

    private Uri? ActionBase() => options.Value.ActionBaseUrl ?? webhooks.Value.PublicBaseUrl ?? LoopbackAddress();

    /// <summary>Local runs and tests: the loopback address Kestrel listens on (a wildcard address names no host HubSpot could call).</summary>
    private Uri? LoopbackAddress() =>
        server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses
            .Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) ? uri : null)
            .FirstOrDefault(u => u is not null && u.IsLoopback) is { } local
            ? new Uri(local.GetLeftPart(UriPartial.Authority) + "/")
            : null;

    private static bool IsFor(JsonNode definition, WorkflowActionKind kind) =>
        Uri.TryCreate((string?)definition["actionUrl"], UriKind.Absolute, out var url)
        && url.AbsolutePath.TrimEnd('/') == $"{WorkflowActionSlugs.PathPrefix}/{kind.Slug()}";

    private async Task<List<JsonNode>> ListAsync(CancellationToken ct)
    {
        var all = new List<JsonNode>();
        string? after = null;
        do
        {
            var page = await SendAsync(HttpMethod.Get, "", null, ct, "&limit=100" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
            all.AddRange((page["results"] as JsonArray ?? []).OfType<JsonNode>());
            after = (string?)page["paging"]?["next"]?["after"];
        }
        while (after is not null);
        return all;
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string rest, JsonNode? body, CancellationToken ct, string query = "")
    {
        var baseUrl = options.Value.ApiBaseUrl ?? hubSpot.Value.BaseUrl;
        var appId = app.Value.AppId.ToString(CultureInfo.InvariantCulture);
        var url = new Uri(baseUrl, $"automation/v4/actions/{appId}{rest}?hapikey={Uri.EscapeDataString(options.Value.DeveloperApiKey!)}{query}");
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            // The key is in the query: never repeat the URL in an error.
            throw new HttpRequestException(
                $"HubSpot's definitions API answered {(int)response.StatusCode} to {method} automation/v4/actions/{appId}{rest}: {Excerpt(text)}", null, response.StatusCode);
        }
        return string.IsNullOrWhiteSpace(text) ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
    }

    private static string Excerpt(string text) => text.Length <= 500 ? text : text[..500] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow action {Action}: definition {DefinitionId} {Change}")]
    private static partial void LogDefinition(ILogger logger, string action, string definitionId, string change);
}

/// <summary>Syncs the definitions once at start-up when everything it needs is configured; a failure is logged, never fatal.</summary>
public sealed partial class ActionDefinitionStartupSync(IServiceProvider services, IOptions<WorkflowActionsOptions> options, ILogger<ActionDefinitionStartupSync> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SyncAtStartup)
        {
            return;
        }
        using var scope = services.CreateScope();
        var sync = scope.ServiceProvider.GetRequiredService<ActionDefinitionSync>();
        if (sync.Problem() is { } problem)
        {
            LogSkipped(logger, problem);
            return;
        }
        try
        {
            await sync.SyncAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow action definitions not synced at start-up: {Problem}")]
    private static partial void LogSkipped(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow action definitions could not be synced at start-up; POST /api/workflow-actions/sync tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
