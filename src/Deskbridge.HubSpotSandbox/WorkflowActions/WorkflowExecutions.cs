using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Crm;
using Deskbridge.HubSpotSandbox.Portals;
using Deskbridge.HubSpotSandbox.Webhooks;

namespace Deskbridge.HubSpotSandbox.WorkflowActions;

/// <summary>A simulated workflow reaching the action step: the definition, the enrolled object, the values the workflow filled in.</summary>
public sealed record ExecutionRequest(string? DefinitionId, long? AppId, string? ObjectType, string? ObjectId, Dictionary<string, string>? InputFields, long? WorkflowId = null);

public sealed record ExecutionAttemptView(string At, int? StatusCode, string? ResponseBody, string? Error, string? RetryAfter);

public sealed record ExecutionView(
    string CallbackId, long AppId, long PortalId, string DefinitionId, int DefinitionRevision, string ActionUrl, string State,
    IReadOnlyDictionary<string, string>? OutputFields, string? FailureReasonType, string? CompletedAt, string RequestBody, IReadOnlyList<ExecutionAttemptView> Attempts)
{
    public static ExecutionView From(StoredExecution e) => new(e.CallbackId, e.AppId, e.PortalId, e.DefinitionId, e.DefinitionRevision, e.ActionUrl, e.State,
        e.OutputFields, e.FailureReasonType, e.CompletedAt is { } at ? Infrastructure.HubSpotTime.Iso(at) : null, e.RequestBody,
        [.. e.Attempts.Select(a => new ExecutionAttemptView(Infrastructure.HubSpotTime.Iso(a.At), a.StatusCode, a.ResponseBody, a.Error, a.RetryAfter))]);
}

/// <summary>
/// Runs a custom action as HubSpot's workflows do: POSTs HubSpot's execution request (callbackId, origin, context, object,
/// inputFields) to the definition's actionUrl, signed with the app's client secret (v3, and the v2 signature HubSpot's
/// action docs name), and reads the answer: outputFields with hs_execution_state SUCCESS, FAIL_CONTINUE or BLOCK (then the
/// callbacks API completes it). 429, 5xx and timeouts are what HubSpot retries; a redelivery re-sends the same request.
/// </summary>
public sealed class WorkflowExecutionService(ActionStore store, PortalRegistry portals, IHttpClientFactory httpClients, TimeProvider time)
{
    public const string HttpClientName = "sandbox-workflow-actions";

    /// <summary>HubSpot's workflows give a custom action's request this long (HubSpot's legacy workflow webhook docs: 30 s).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<(ExecutionView? View, string? Problem, bool NotFound)> RunAsync(ExecutionRequest request, SandboxOptions portal, CrmStore crm, CancellationToken ct)
    {
        var appId = request.AppId ?? portal.AppId;
        if (portals.FindByAppId(appId) is null)
        {
            return (null, $"App {appId} not found", true);
        }
        if (request.DefinitionId is null || store.Find(appId, request.DefinitionId) is not { ArchivedAt: null } definition)
        {
            return (null, $"Action definition {request.DefinitionId} of app {appId} not found (or archived)", true);
        }
        if (definition.Body["published"]?.GetValue<bool>() != true)
        {
            return (null, $"Action definition {definition.Id} is not published: only published actions can be used in a customer portal's workflows", false);
        }
        var objectType = request.ObjectType?.ToUpperInvariant();
        var allowed = (definition.Body["objectTypes"] as JsonArray ?? []).Select(t => (string?)t).ToList();
        if (objectType is null || !allowed.Contains(objectType))
        {
            return (null, $"objectType {request.ObjectType} is not one of the definition's objectTypes ({string.Join(", ", allowed)})", false);
        }
        var crmType = objectType.ToLowerInvariant() + "s";
        if (request.ObjectId is null || crm.Find(crmType, request.ObjectId) is not { Archived: false } record)
        {
            return (null, $"{objectType} {request.ObjectId} does not exist in portal {portal.PortalId}: workflows enroll existing records", false);
        }
        var inputs = request.InputFields ?? [];
        foreach (var field in (definition.Body["inputFields"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)field["typeDefinition"]?["name"] ?? "";
            if (field["isRequired"]?.GetValue<bool>() == true && string.IsNullOrEmpty(inputs.GetValueOrDefault(name)))
            {
                return (null, $"Input field {name} is required by the definition: a workflow cannot run the action without it", false);
            }
        }

        var number = store.NextExecutionNumber();
        var callbackId = $"ap-{appId}-{portal.PortalId}-{number}-0";
        var requested = (definition.Body["objectRequestOptions"]?["properties"] as JsonArray ?? []).Select(p => (string?)p).OfType<string>();
        var body = new JsonObject
        {
            ["callbackId"] = callbackId,
            ["origin"] = new JsonObject
            {
                ["portalId"] = portal.PortalId,
                ["actionDefinitionId"] = long.Parse(definition.Id, CultureInfo.InvariantCulture),
                ["actionDefinitionVersion"] = definition.Revision,
            },
            ["context"] = new JsonObject { ["source"] = "WORKFLOWS", ["workflowId"] = request.WorkflowId ?? 1000 + number },
            ["object"] = new JsonObject
            {
                ["objectId"] = long.Parse(record.Id, CultureInfo.InvariantCulture),
                ["objectType"] = objectType,
                ["properties"] = new JsonObject([.. requested.Select(p => KeyValuePair.Create(p, (JsonNode?)record.Properties.GetValueOrDefault(p)))]),
            },
            ["inputFields"] = new JsonObject([.. inputs.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
        };
        var execution = new StoredExecution
        {
            CallbackId = callbackId, AppId = appId, PortalId = portal.PortalId, DefinitionId = definition.Id, DefinitionRevision = definition.Revision,
            ActionUrl = (string)definition.Body["actionUrl"]!, RequestBody = body.ToJsonString(),
        };
        store.Add(execution);
        await SendAsync(execution, ct);
        return (ExecutionView.From(execution), null, false);
    }

    /// <summary>HubSpot sends an execution again after a 429, a 5xx or a timeout; tests also use it to repeat one that succeeded.</summary>
    public async Task<ExecutionView?> RedeliverAsync(string callbackId, long portalId, CancellationToken ct)
    {
        if (store.Execution(callbackId) is not { } execution || execution.PortalId != portalId)
        {
            return null;
        }
        await SendAsync(execution, ct);
        return ExecutionView.From(execution);
    }

    private async Task SendAsync(StoredExecution execution, CancellationToken ct)
    {
        var secret = portals.FindByAppId(execution.AppId)!.Options.ClientSecret;
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var message = new HttpRequestMessage(HttpMethod.Post, execution.ActionUrl)
        {
            Content = new StringContent(execution.RequestBody, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        // Signed over the URL as sent on the wire, as the webhook delivery signs it.
        var uri = message.RequestUri!.AbsoluteUri;
        message.Headers.TryAddWithoutValidation("X-HubSpot-Signature-v3", WebhookSigner.SignatureV3(secret, "POST", uri, execution.RequestBody, timestamp));
        message.Headers.TryAddWithoutValidation("X-HubSpot-Request-Timestamp", timestamp);
        message.Headers.TryAddWithoutValidation("X-HubSpot-Signature", SignatureV2(secret, "POST", uri, execution.RequestBody));
        message.Headers.TryAddWithoutValidation("X-HubSpot-Signature-Version", "v2");
        message.Headers.TryAddWithoutValidation("User-Agent", "HubSpot Connect 2.0 (http://dev.hubspot.com/) - WorkflowsCustomAction");

        var at = time.GetUtcNow();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(message, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter?.ToString();
            lock (store.Gate)
            {
                execution.Attempts.Add(new(at, status, text.Length <= 4000 ? text : text[..4000], null, retryAfter));
                Conclude(execution, status, text);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            lock (store.Gate)
            {
                execution.Attempts.Add(new(at, null, null, ex is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : ex.Message, null));
                execution.State = "RETRY";
            }
        }
    }

    private void Conclude(StoredExecution execution, int status, string text)
    {
        if (status == 429 || status >= 500)
        {
            execution.State = "RETRY";
            return;
        }
        if (status is < 200 or >= 300)
        {
            execution.State = "FAILED";
            execution.CompletedAt = time.GetUtcNow();
            return;
        }
        Dictionary<string, string>? outputs = null;
        try
        {
            outputs = (JsonNode.Parse(text)?["outputFields"] as JsonObject)?
                .ToDictionary(p => p.Key, p => p.Value?.GetValueKind() == JsonValueKind.String ? (string)p.Value! : p.Value?.ToJsonString() ?? "", StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            // A 2xx without JSON: the action succeeded with no outputs, as HubSpot treats any success status.
        }
        execution.OutputFields = outputs ?? [];
        var state = execution.OutputFields.GetValueOrDefault("hs_execution_state");
        execution.State = state is "BLOCK" or "ASYNC" ? "BLOCK" : state is "FAIL_CONTINUE" ? "FAIL_CONTINUE" : "SUCCESS";
        execution.CompletedAt = execution.State == "BLOCK" ? null : time.GetUtcNow();
    }

    /// <summary>v2: hex(SHA-256(clientSecret + method + uri + body)).</summary>
    public static string SignatureV2(string clientSecret, string method, string uri, string body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientSecret + method + uri + body)));
}
