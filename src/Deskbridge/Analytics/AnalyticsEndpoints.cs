using Deskbridge.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Deskbridge.Analytics;

/// <summary>I2: the analytics figures as JSON and as CSV; the dashboard's analytics page shows the same report.</summary>
public static class AnalyticsEndpoints
{
    public static WebApplicationBuilder AddAnalytics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AnalyticsOptions>().BindConfiguration(AnalyticsOptions.SectionName)
            .Validate(o => o.ResolutionWindow > TimeSpan.Zero, "Analytics:ResolutionWindow must be positive.")
            .Validate(o => o.MaxPeriodDays is >= 1 and <= 3660, "Analytics:MaxPeriodDays must be from 1 to 3660.")
            .Validate(o => o.TopReasons is >= 1 and <= 100, "Analytics:TopReasons must be from 1 to 100.")
            .ValidateOnStart();
        builder.Services.AddScoped<AnalyticsService>();
        builder.Services.AddScoped<AnalyticsRequest>();
        return builder;
    }

    public static RouteGroupBuilder MapAnalyticsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{organizationId:guid}").WithTags("Analytics").RequireAdminAccess();
        group.MapGet("/analytics", GetAsync);
        group.MapGet("/analytics.csv", (Guid organizationId, string? from, string? to, string? days, string? channel, AnalyticsRequest request, CancellationToken ct) =>
            GetAsync(organizationId, from, to, days, channel, "csv", request, ct));
        return group;
    }

    /// <param name="format">json (default) or csv; <c>…/analytics.csv</c> is the same as format=csv.</param>
    private static async Task<Results<Ok<AnalyticsReport>, FileContentHttpResult, ValidationProblem, NotFound>> GetAsync(
        Guid organizationId, string? from, string? to, string? days, string? channel, string? format, AnalyticsRequest request, CancellationToken ct)
    {
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && !string.IsNullOrEmpty(format) && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [$"'{format}' is not a format; use json or csv."] },
                title: "No analytics computed");
        }
        var outcome = await request.RunAsync(organizationId, from, to, days, channel, ct);
        if (outcome.Problems is { } problems)
        {
            return TypedResults.ValidationProblem(problems, title: "No analytics computed");
        }
        if (outcome.Report is not { } report)
        {
            return TypedResults.NotFound();
        }
        return csv
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(AnalyticsCsv.Write(report)), "text/csv; charset=utf-8",
                $"analytics-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}-{report.Channel}.csv")
            : TypedResults.Ok(report);
    }
}
