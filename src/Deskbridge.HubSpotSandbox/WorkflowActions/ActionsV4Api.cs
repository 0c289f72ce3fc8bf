using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;
using Deskbridge.HubSpotSandbox.Portals;
using Deskbridge.HubSpotSandbox.Validation;

namespace Deskbridge.HubSpotSandbox.WorkflowActions;

/// <summary>
/// HubSpot's Automation Actions v4: custom action definitions per app (developer API key, <c>?hapikey=</c>) with their
/// revisions, and the callbacks that complete a blocked execution (a portal's token with the <c>automation</c> scope).
/// </summary>
public static partial class ActionsV4Api
{
    /// <summary>What a workflow can enroll: HubSpot's standard CRM objects and custom objects (<c>2-…</c>). Anything else is refused (stricter than the spec, which types it as any string).</summary>
    public static readonly string[] ObjectTypes = ["CONTACT", "COMPANY", "DEAL", "TICKET", "QUOTE", "LINE_ITEM"];

    public static RouteGroupBuilder MapActionsV4Api(this IEndpointRouteBuilder app)
    {
        var callbacks = app.MapGroup("/automation/v4/actions/callbacks").RequirePrivateAppToken().RequireScope(Scopes.Automation);
        callbacks.MapPost("/complete", CompleteBatch).AcceptsBody(ActionShapes.BatchCompletion);
        callbacks.MapPost("/{callbackId}/complete", Complete).AcceptsBody(ActionShapes.Completion);

        var api = app.MapGroup("/automation/v4/actions/{appId:int}").RequireDeveloperApiKey();
        api.MapGet("", List);
        api.MapPost("", Create).AcceptsBody(ActionShapes.DefinitionEgg);
        api.MapGet("/{definitionId}", Get);
        api.MapPatch("/{definitionId}", Patch).AcceptsBody(ActionShapes.DefinitionPatch);
        api.MapDelete("/{definitionId}", Archive);
        api.MapGet("/{definitionId}/revisions", Revisions);
        api.MapGet("/{definitionId}/revisions/{revisionId}", Revision);
        return api;
    }

    public static JsonObject View(StoredDefinition d)
    {
        var view = (JsonObject)d.Body.DeepClone();
        view["id"] = d.Id;
        view["revisionId"] = d.Revision.ToString(CultureInfo.InvariantCulture);
        // PublicActionDefinition lists functions as identifiers (type and id), never their source.
        view["functions"] = new JsonArray([.. (d.Body["functions"] as JsonArray ?? []).Select((f, i) => (JsonNode)new JsonObject
        {
            ["functionType"] = (string?)f?["functionType"],
            ["id"] = (string?)f?["id"] ?? i.ToString(CultureInfo.InvariantCulture),
        })]);
        if (d.ArchivedAt is { } archived)
        {
            view["archivedAt"] = archived;
        }
        return view;
    }

    private static IResult? UnknownApp(int appId, PortalRegistry portals) =>
        portals.FindByAppId(appId) is null ? HubSpotErrors.NotFound($"App {appId} not found") : null;

    private static IResult List(int appId, string? after, bool? archived, int? limit, ActionStore store, PortalRegistry portals)
    {
        if (UnknownApp(appId, portals) is { } refused)
        {
            return refused;
        }
        if (limit is < 1 or > 100)
        {
            return HubSpotErrors.InvalidParameter("limit", "limit must be between 1 and 100", "INVALID_PARAMETER");
        }
        var all = store.OfApp(appId).Where(d => (d.ArchivedAt is not null) == (archived ?? false)).Select(View).ToList();
        var (page, paging) = Pager.Page(all, Pager.ParseAfter(after), limit ?? 20);
        return TypedResults.Ok(new PagedResults<JsonObject>(page, paging));
    }

    private static async Task<IResult> Create(int appId, HttpRequest request, ActionStore store, PortalRegistry portals, TimeProvider time)
    {
        if (UnknownApp(appId, portals) is { } refused)
        {
            return refused;
        }
        var body = await ReadAsync(request);
        if (Problems(body, creating: true) is { } invalid)
        {
            return invalid;
        }
        var definition = store.Add(appId, body, time.GetUtcNow());
        return TypedResults.Created((string?)null, View(definition));
    }

    private static IResult Get(int appId, string definitionId, bool? archived, ActionStore store, PortalRegistry portals) =>
        UnknownApp(appId, portals) ?? (Find(store, appId, definitionId, archived ?? false) is { } d ? TypedResults.Ok(View(d)) : DefinitionNotFound(definitionId));

    private static async Task<IResult> Patch(int appId, string definitionId, HttpRequest request, ActionStore store, PortalRegistry portals, TimeProvider time)
    {
        if (UnknownApp(appId, portals) is { } refused)
        {
            return refused;
        }
        if (Find(store, appId, definitionId, archived: false) is not { } definition)
        {
            return DefinitionNotFound(definitionId);
        }
        var patch = await ReadAsync(request);
        lock (store.Gate)
        {
            var merged = (JsonObject)definition.Body.DeepClone();
            foreach (var (name, value) in patch)
            {
                if (name is "functions" or "id" or "revisionId")
                {
                    continue;
                }
                merged[name] = value?.DeepClone();
            }
            if (Problems(merged, creating: false) is { } invalid)
            {
                return invalid;
            }
            definition.Body = merged;
            definition.Revision++;
            definition.Revisions.Add((definition.Revision, time.GetUtcNow(), (JsonObject)merged.DeepClone()));
            return TypedResults.Ok(View(definition));
        }
    }

    private static IResult Archive(int appId, string definitionId, ActionStore store, PortalRegistry portals, TimeProvider time)
    {
        if (UnknownApp(appId, portals) is { } refused)
        {
            return refused;
        }
        if (Find(store, appId, definitionId, archived: false) is not { } definition)
        {
            return DefinitionNotFound(definitionId);
        }
        definition.ArchivedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        return TypedResults.NoContent();
    }

    private static IResult Revisions(int appId, string definitionId, string? after, int? limit, ActionStore store, PortalRegistry portals)
    {
        if (UnknownApp(appId, portals) is { } refused)
        {
            return refused;
        }
        if (store.Find(appId, definitionId) is not { } definition)
        {
            return DefinitionNotFound(definitionId);
        }
        var all = definition.Revisions.Select(r => RevisionView(definition, r)).ToList();
        var (page, paging) = Pager.Page(all, Pager.ParseAfter(after), Math.Clamp(limit ?? 20, 1, 100));
        return TypedResults.Ok(new PagedResults<JsonObject>(page, paging));
    }

    private static IResult Revision(int appId, string definitionId, string revisionId, ActionStore store, PortalRegistry portals)
    {
        if (UnknownApp(appId, portals) is { } refused)
        {
            return refused;
        }
        var definition = store.Find(appId, definitionId);
        var revision = definition?.Revisions.FirstOrDefault(r => r.Revision.ToString(CultureInfo.InvariantCulture) == revisionId);
        return definition is not null && revision is { Definition: not null } found
            ? TypedResults.Ok(RevisionView(definition, found))
            : HubSpotErrors.NotFound($"Revision {revisionId} of definition {definitionId} not found");
    }

    // PublicActionRevision: createdAt, definition, id and revisionId.
    private static JsonObject RevisionView(StoredDefinition d, (int Revision, DateTimeOffset At, JsonObject Definition) r)
    {
        var snapshot = new StoredDefinition { AppId = d.AppId, Id = d.Id, Body = r.Definition, Revision = r.Revision };
        var number = r.Revision.ToString(CultureInfo.InvariantCulture);
        return new JsonObject { ["id"] = number, ["revisionId"] = number, ["createdAt"] = HubSpotTime.Iso(r.At), ["definition"] = View(snapshot) };
    }

    private static StoredDefinition? Find(ActionStore store, int appId, string id, bool archived) =>
        store.Find(appId, id) is { } d && (d.ArchivedAt is not null) == archived ? d : null;

    private static IResult DefinitionNotFound(string id) => HubSpotErrors.NotFound($"Action definition {id} not found");

    private static async Task<JsonObject> ReadAsync(HttpRequest request) =>
        (await JsonNode.ParseAsync(request.Body)) as JsonObject ?? new JsonObject();

    /// <summary>What the spec's types cannot say: URLs, object types, names. Every problem is listed, as HubSpot's errors[] does.</summary>
    private static IResult? Problems(JsonObject definition, bool creating)
    {
        var errors = new List<HubSpotErrorDetail>();
        if (!Uri.TryCreate((string?)definition["actionUrl"], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            errors.Add(new("actionUrl must be an absolute http(s) URL", "INVALID_URL", In: "actionUrl"));
        }
        var objectTypes = (definition["objectTypes"] as JsonArray ?? []).Select(t => (string?)t).ToList();
        if (objectTypes.Count == 0)
        {
            errors.Add(new("objectTypes must name at least one object type", "REQUIRED", In: "objectTypes"));
        }
        foreach (var (type, i) in objectTypes.Select((t, i) => (t, i)).Where(x => x.t is null || !(ObjectTypes.Contains(x.t) || CustomObjectType().IsMatch(x.t))))
        {
            errors.Add(new($"objectTypes[{i}] \"{type}\" is not an object type workflows enroll ({string.Join(", ", ObjectTypes)} or a custom object 2-…)",
                "INVALID_ENUM", In: $"objectTypes[{i}]"));
        }
        if (definition["labels"] is not JsonObject { Count: > 0 })
        {
            errors.Add(new("labels must hold the labels of at least one language (e.g. \"en\")", "REQUIRED", In: "labels"));
        }
        Unique(definition["inputFields"], "inputFields", errors);
        Unique(definition["outputFields"], "outputFields", errors);
        if (errors.Count == 0)
        {
            return null;
        }
        var verb = creating ? "create" : "update";
        return HubSpotErrors.Validation($"Invalid input: could not {verb} the action definition: {string.Join("; ", errors.Select(e => e.Message))}", errors);
    }

    private static void Unique(JsonNode? fields, string path, List<HubSpotErrorDetail> errors)
    {
        var names = (fields as JsonArray ?? []).Select(f => (string?)f?["typeDefinition"]?["name"]).ToList();
        foreach (var duplicate in names.Where(n => n is not null).GroupBy(n => n).Where(g => g.Count() > 1))
        {
            errors.Add(new($"{path} names {duplicate.Key} more than once", "DUPLICATE", In: path));
        }
        foreach (var (name, i) in names.Select((n, i) => (n, i)).Where(x => string.IsNullOrWhiteSpace(x.n)))
        {
            errors.Add(new($"{path}[{i}].typeDefinition.name must not be empty", "REQUIRED", In: $"{path}[{i}].typeDefinition.name"));
        }
    }

    [GeneratedRegex("^2-[0-9]+$")]
    private static partial Regex CustomObjectType();

    private static async Task<IResult> Complete(string callbackId, HttpRequest request, ActionStore store, SandboxOptions portal, TimeProvider time)
    {
        var body = await ReadAsync(request);
        return CompleteOne(callbackId, body, store, portal, time) ?? TypedResults.NoContent();
    }

    private static async Task<IResult> CompleteBatch(HttpRequest request, ActionStore store, SandboxOptions portal, TimeProvider time)
    {
        var body = await ReadAsync(request);
        var inputs = (body["inputs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        // All or nothing: a batch naming an execution that cannot be completed completes none of them.
        lock (store.Gate)
        {
            foreach (var input in inputs)
            {
                if (Check((string)input["callbackId"]!, store, portal) is { } refused)
                {
                    return refused;
                }
            }
            foreach (var input in inputs)
            {
                CompleteOne((string)input["callbackId"]!, input, store, portal, time);
            }
        }
        return TypedResults.NoContent();
    }

    private static IResult? Check(string callbackId, ActionStore store, SandboxOptions portal)
    {
        var execution = store.Execution(callbackId);
        if (execution is null || execution.PortalId != portal.PortalId)
        {
            return HubSpotErrors.NotFound($"Callback {callbackId} not found");
        }
        return execution.State == "BLOCK"
            ? null
            : HubSpotErrors.Validation($"Callback {callbackId} is not waiting to be completed (its execution is {execution.State})",
                [new("The execution is not blocked", "INVALID_STATE", In: "callbackId")]);
    }

    private static IResult? CompleteOne(string callbackId, JsonObject body, ActionStore store, SandboxOptions portal, TimeProvider time)
    {
        lock (store.Gate)
        {
            if (Check(callbackId, store, portal) is { } refused)
            {
                return refused;
            }
            var execution = store.Execution(callbackId)!;
            var outputs = (body["outputFields"] as JsonObject ?? []).ToDictionary(p => p.Key, p => (string?)p.Value ?? "", StringComparer.Ordinal);
            execution.OutputFields = outputs;
            execution.FailureReasonType = (string?)body["failureReasonType"];
            // A completion may say how the action ended; without it (or with BLOCK again) the execution succeeded.
            execution.State = execution.FailureReasonType is not null ? "FAIL_CONTINUE"
                : outputs.GetValueOrDefault("hs_execution_state") is "FAIL_CONTINUE" ? "FAIL_CONTINUE" : "SUCCESS";
            execution.CompletedAt = time.GetUtcNow();
            return null;
        }
    }

    internal static string Serialize(object value) => JsonSerializer.Serialize(value, SandboxJson.Options);
}
