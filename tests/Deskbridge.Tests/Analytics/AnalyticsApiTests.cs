using System.Net;
using System.Text.Json.Nodes;
using Deskbridge.Storage;
using static Deskbridge.Tests.Analytics.AnalyticsFiguresTests;

namespace Deskbridge.Tests.Analytics;

/// <summary>I2: the analytics API — CSV, and ProblemDetails for a period or channel it cannot answer.</summary>
public sealed class AnalyticsApiTests : IAsyncLifetime
{
    private SeededWorld _world = null!;

    public async Task InitializeAsync() => _world = await SeededWorld.StartAsync(StorageProvider.Sqlite);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private string Path(string suffix) => $"api/organizations/{_world.OrganizationId}/{suffix}";

    [Theory]
    [InlineData("analytics.csv?" + Period)]
    [InlineData("analytics?format=csv&" + Period)]
    public async Task Csv_carries_the_same_figures_one_row_each(string suffix)
    {
        var response = await _world.Host.Http.GetAsync(Path(suffix));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var rows = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("metric,key,label,value", rows[0]);
        Assert.Contains("handled,,Conversations handled,9", rows);
        Assert.Contains("answered-by-ai,,Answered by the AI without handoff,5", rows);
        Assert.Contains("resolved-by-ai-rate", rows.Single(r => r.StartsWith("resolved-by-ai-rate,", StringComparison.Ordinal)));
        Assert.EndsWith(",0.25", rows.Single(r => r.StartsWith("resolved-by-ai-rate,", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("first-ai-answer-p50-ms,,\"Time to first AI answer, median (ms)\",30000", rows);
        Assert.Contains("first-ai-answer-p90-ms,,\"Time to first AI answer, 90th percentile (ms)\",300000", rows);
        Assert.Contains("handed-off-by-trigger,LowConfidence,Low confidence,2", rows);
        Assert.Contains("handed-off-by-reason,Low confidence: refunds,Low confidence: refunds,2", rows);
        Assert.Contains("skipped-by-reason,own-message,Deskbridge's own post,2", rows);
        Assert.Contains("drafts-by-outcome,pending,Waiting for approval,2", rows);
        Assert.Contains("daily-handed-off,2026-03-03,,2", rows);
        Assert.Equal(7, rows.Count(r => r.StartsWith("daily-handled,", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("from=2026-03-08&to=2026-03-01", "from")]
    [InlineData("from=2026-03-01&to=2026-03-01", "from")]
    [InlineData("from=2025-01-01&to=2026-03-01", "to")]
    [InlineData("days=400", "days")]
    [InlineData("days=0", "days")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("channel=fax", "channel")]
    [InlineData("channel=chat;drop", "channel")]
    [InlineData("format=xml", "format")]
    public async Task A_period_or_channel_it_cannot_answer_is_a_problem_naming_the_parameter(string query, string parameter)
    {
        var response = await _world.Host.Http.GetAsync(Path("analytics?" + query));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("No analytics computed", (string?)problem["title"]);
        Assert.NotNull(problem["errors"]![parameter]);
    }

    [Fact]
    public async Task The_csv_refuses_a_bad_period_the_same_way()
    {
        var response = await _world.Host.Http.GetAsync(Path("analytics.csv?from=2026-03-08&to=2026-03-01"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Without_a_period_it_covers_the_last_30_days_up_to_the_end_of_today()
    {
        var report = await _world.Host.GetJsonAsync<Deskbridge.Analytics.AnalyticsReport>(Path("analytics"));

        // The clock says 2026-03-10 12:00 UTC.
        Assert.Equal((new DateTimeOffset(2026, 2, 9, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero)), (report.From, report.To));
        Assert.Equal(30, report.Daily.Count);
        // 1–13 and 8 (7 March) and 9 (28 February) are all in it.
        Assert.Equal(11, report.Conversations.Handled);
    }

    [Fact]
    public async Task An_organization_that_does_not_exist_is_not_found()
    {
        var response = await _world.Host.Http.GetAsync($"api/organizations/{Guid.NewGuid()}/analytics?{Period}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_formula_in_a_free_text_cell_is_not_run_by_a_spreadsheet() =>
        Assert.Equal("\"'=HYPERLINK(\"\"x\"\")\"", Deskbridge.Analytics.AnalyticsCsv.Cell("=HYPERLINK(\"x\")"));
}
