using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.WorkflowActions;

/// <summary>Typed calls of /_sandbox/workflow-actions for tests and the demo, for the portal the admin client is for.</summary>
public sealed class WorkflowActionsAdminClient(SandboxAdminClient admin)
{
    private string Prefix => admin.PortalId is { } id ? $"_sandbox/portals/{id}/workflow-actions" : "_sandbox/workflow-actions";

    public Task<ExecutionView> RunAsync(ExecutionRequest request, CancellationToken ct = default) =>
        SendAsync<ExecutionView>(HttpMethod.Post, "/executions", request, ct);

    public Task<ExecutionView> ExecutionAsync(string callbackId, CancellationToken ct = default) =>
        SendAsync<ExecutionView>(HttpMethod.Get, $"/executions/{Uri.EscapeDataString(callbackId)}", null, ct);

    public Task<ExecutionView> RedeliverAsync(string callbackId, CancellationToken ct = default) =>
        SendAsync<ExecutionView>(HttpMethod.Post, $"/executions/{Uri.EscapeDataString(callbackId)}/redeliver", null, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, Prefix + path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: SandboxJson.Options);
        }
        using var response = await admin.Http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new SandboxAdminException(method, Prefix + path, (int)response.StatusCode, text);
        }
        return System.Text.Json.JsonSerializer.Deserialize<T>(text, SandboxJson.Options)!;
    }
}
