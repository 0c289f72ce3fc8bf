using Deskbridge.HubSpotSandbox.Crm;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.WorkflowActions;

/// <summary>/_sandbox/workflow-actions: run a workflow's action step on a record of the portal, and read what happened.</summary>
public static class WorkflowActionsAdminApi
{
    public static RouteGroupBuilder MapWorkflowActionsAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(SandboxApplication.AdminPrefix + "/workflow-actions");
        api.MapPost("/executions", async (ExecutionRequest request, WorkflowExecutionService executions, SandboxOptions portal, CrmStore crm, CancellationToken ct) =>
        {
            var (view, problem, notFound) = await executions.RunAsync(request, portal, crm, ct);
            return view is not null ? TypedResults.Created((string?)null, view)
                : notFound ? (IResult)HubSpotErrors.NotFound(problem!) : HubSpotErrors.Validation(problem!);
        });
        api.MapGet("/executions", (ActionStore store, SandboxOptions portal) =>
            TypedResults.Ok(new PagedResults<ExecutionView>([.. store.Executions(portal.PortalId).Select(ExecutionView.From)])));
        api.MapGet("/executions/{callbackId}", (string callbackId, ActionStore store, SandboxOptions portal) =>
            store.Execution(callbackId) is { } e && e.PortalId == portal.PortalId
                ? (IResult)TypedResults.Ok(ExecutionView.From(e)) : HubSpotErrors.NotFound($"Execution {callbackId} not found"));
        api.MapPost("/executions/{callbackId}/redeliver", async (string callbackId, WorkflowExecutionService executions, SandboxOptions portal, CancellationToken ct) =>
            await executions.RedeliverAsync(callbackId, portal.PortalId, ct) is { } view
                ? (IResult)TypedResults.Ok(view) : HubSpotErrors.NotFound($"Execution {callbackId} not found"));
        return api;
    }

    /// <summary>Application-wide: definitions belong to apps, which several portals install.</summary>
    internal static void AddWorkflowActions(IServiceCollection services)
    {
        services.AddSingleton<ActionStore>();
        services.AddSingleton<WorkflowExecutionService>();
        services.AddHttpClient(WorkflowExecutionService.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
    }
}
