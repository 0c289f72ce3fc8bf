using System.Text.Json;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Deskbridge.Health;

/// <summary>
/// Probes for an orchestrator: <c>/health/live</c> says the process answers (restart it when it does not);
/// <c>/health/ready</c> says this instance can do its work (send it traffic only then): the database answers, its
/// schema has every migration this build knows, and this instance's inbox processor is running.
/// </summary>
public static class ServiceHealthChecks
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddServiceHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<DeskbridgeDb>("database", tags: [ReadyTag])
            .AddCheck<MigrationsAppliedCheck>("migrations", tags: [ReadyTag])
            .AddCheck<InboxProcessorRunningCheck>("inbox-processor", tags: [ReadyTag]);
        return services;
    }

    public static void MapServiceHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous();
    }

    /// <summary>Names every check, so a failing probe says which part is down.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonSerializerOptions.Web, context.RequestAborted);
    }
}

internal sealed class MigrationsAppliedCheck(DeskbridgeDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy("every migration is applied")
            : HealthCheckResult.Unhealthy($"pending migrations: {string.Join(", ", pending)}");
    }
}

/// <summary>The processor is a hosted service; its execute task ends only when it stops or crashes.</summary>
internal sealed class InboxProcessorRunningCheck(IEnumerable<IHostedService> hosted) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var processor = hosted.OfType<InboxProcessor>().SingleOrDefault();
        var result = processor?.ExecuteTask switch
        {
            null => HealthCheckResult.Unhealthy(processor is null ? "no inbox processor in this instance" : "the inbox processor has not started"),
            { IsCompleted: false } => HealthCheckResult.Healthy("the inbox processor is running"),
            { IsFaulted: true } task => HealthCheckResult.Unhealthy("the inbox processor crashed", task.Exception),
            _ => HealthCheckResult.Unhealthy("the inbox processor has stopped"),
        };
        return Task.FromResult(result);
    }
}
