using System.Buffers;
using Deskbridge.Accounts;
using Deskbridge.HubSpotApp;
using Deskbridge.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Deskbridge.WorkflowActions;

/// <summary>
/// U3: the action URL HubSpot calls for each execution (<c>POST /hubspot-app/actions/{action}</c>), and the operator's
/// definition sync. The action URL takes no Deskbridge credential: HubSpot's v3 signature with the app's client secret is
/// the credential, and it is mandatory (a stale timestamp is refused like a wrong signature).
/// </summary>
public static partial class WorkflowActionEndpoints
{
    private const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapWorkflowActions(this IEndpointRouteBuilder app)
    {
        app.MapPost(WorkflowActionSlugs.PathPrefix + "/{action}", ExecuteAsync).WithTags("Workflow actions").DisableAntiforgery();
        app.MapGroup("/api/workflow-actions").WithTags("Workflow actions").RequireAdminAccess()
            .MapPost("/sync", SyncAsync);
        return app;
    }

    private static async Task<IResult> ExecuteAsync(string action, HttpRequest request, WorkflowActionExecutor executor,
        IOptions<HubSpotAppOptions> appOptions, IOptions<WebhookOptions> webhookOptions, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(WorkflowActionEndpoints));
        if (WorkflowActionSlugs.FromSlug(action) is not { } kind)
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown workflow action",
                $"There is no workflow action \"{action}\"; the actions are {string.Join(", ", WorkflowActionSlugs.All.Select(k => k.Slug()))}.");
        }
        if (appOptions.Value.ClientSecret is not { Length: > 0 } secret)
        {
            return Problem(StatusCodes.Status401Unauthorized, "Workflow actions are not configured",
                $"{HubSpotAppOptions.Section}:ClientSecret is not set, so no HubSpot signature can be verified; nothing was done.");
        }

        var body = await ReadBodyAsync(request, ct);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"A workflow execution body is at most {MaxBodyBytes} bytes.");
        }
        var settings = webhookOptions.Value;
        var check = HubSpotSignature.VerifyV3(secret, request.Method, WebhookEndpoints.PublicUri(request, settings), body,
            request.Headers["X-HubSpot-Signature-v3"], request.Headers["X-HubSpot-Request-Timestamp"], time.GetUtcNow(), settings.SignatureMaxAge);
        if (!check.IsValid)
        {
            LogBadSignature(logger, kind.Slug(), check.Problem!);
            return Problem(StatusCodes.Status401Unauthorized, "Invalid HubSpot signature", check.Problem!);
        }

        var (parsed, problem) = ActionExecutionRequest.Parse(body);
        if (parsed is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid workflow execution", problem!);
        }
        var answer = await executor.ExecuteAsync(kind, parsed, System.Text.Encoding.UTF8.GetString(body), ct);
        switch (answer)
        {
            case ExecutionAnswer.Output output:
                return Results.Text(output.Json, "application/json", System.Text.Encoding.UTF8, StatusCodes.Status200OK);
            case ExecutionAnswer.Refused refused:
                if (refused.RetryAfter is { } wait)
                {
                    request.HttpContext.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                return Problem(refused.Status, refused.Title, refused.Detail);
            default:
                throw new InvalidOperationException($"Unknown answer {answer.GetType().Name}");
        }
    }

    private static async Task<Results<Ok<DefinitionSyncResult>, ProblemHttpResult>> SyncAsync(HttpContext http, ActionDefinitionSync sync, CancellationToken ct)
    {
        if (!OrganizationAccess.IsOperator(http.User))
        {
            return Problem(StatusCodes.Status403Forbidden, "Operator only", "The app's definitions are the operator's: call with the operator key (Admin:ApiKey).");
        }
        if (sync.Problem() is { } problem)
        {
            return Problem(StatusCodes.Status400BadRequest, "Workflow actions are not configured", problem);
        }
        try
        {
            return TypedResults.Ok(await sync.SyncAsync(ct));
        }
        catch (HttpRequestException ex)
        {
            return Problem(StatusCodes.Status502BadGateway, "HubSpot refused the definitions", ex.Message);
        }
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, ct);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBodyBytes)
            {
                return null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow action {Action}: request refused, {Problem}")]
    private static partial void LogBadSignature(ILogger logger, string action, string problem);
}
