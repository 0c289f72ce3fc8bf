using Deskbridge.Testing;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>I2: the analytics page shows the seeded history's known figures, its charts are accessible SVG, and a bad period is named.</summary>
public sealed partial class DashboardTests
{
    [Fact]
    public Task Analytics_page_shows_the_figures_of_a_seeded_history_with_charts_and_tables() => fixture.RunAsync(async page =>
    {
        var organization = await World.Deskbridge.CreateOrganizationAsync("Analytics Shop", "analytics-shop");
        await World.Deskbridge.AddMemberAsync(organization.Id, "Owner", fixture.OwnerEmail);
        var other = await World.Deskbridge.CreateOrganizationAsync("Other Shop", "analytics-other");
        var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-9);
        await AnalyticsHistory.SeedAsync(World.Deskbridge.Services, organization.Id, other.Id, start, DateTimeOffset.UtcNow);
        var period = $"from={start:yyyy-MM-dd}&to={start.AddDays(7):yyyy-MM-dd}";

        await page.GotoAsync(fixture.Url($"orgs/{organization.Id}/analytics?{period}"));

        await Expect(page.Locator("header nav a.current")).ToHaveTextAsync("Analytics");
        await Expect(page.Locator("#fig-handled")).ToHaveTextAsync("9");
        await Expect(page.Locator("#fig-answered")).ToHaveTextAsync("5");
        await Expect(page.Locator("#fig-handed-off")).ToHaveTextAsync("3");
        await Expect(page.Locator("#fig-takeover")).ToHaveTextAsync("22 %");
        await Expect(page.Locator("#fig-p50")).ToHaveTextAsync("30 s");
        await Expect(page.Locator("#fig-p90")).ToHaveTextAsync("5 min");
        await Expect(page.Locator("#fig-skipped")).ToHaveTextAsync("4");
        await Expect(page.Locator("#fig-resolved-rate")).ToHaveTextAsync("25 %");
        await Expect(page.Locator("#fig-resolved-counts")).ToHaveTextAsync("2 resolved of 8 known · 1 not yet known");
        await Expect(page.Locator("#resolved-definition")).ToContainTextAsync("has not written again since the AI's last reply for at least 24 h");
        await Expect(page.Locator("#resolved-definition")).ToContainTextAsync("not yet known and are left out of the rate");

        // The charts: SVG with a title and a description, one bar per day and series that has any, a bar per trigger.
        var daily = page.Locator("svg#daily-chart");
        await Expect(daily).ToHaveAttributeAsync("role", "img");
        await Expect(page.Locator("#daily-chart-title")).ToHaveTextAsync("Conversations per day: handled, answered by the AI, handed off");
        await Expect(daily.Locator("rect")).ToHaveCountAsync(7 + 5 + 2);
        await Expect(page.Locator("svg#trigger-chart rect")).ToHaveCountAsync(2);
        await Expect(page.Locator("#trigger-table tbody tr").First).ToContainTextAsync("Low confidence");
        await Expect(page.Locator("#reason-table tbody tr").First).ToContainTextAsync("Low confidence: refunds");
        await Expect(page.Locator("#skip-table tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#draft-table")).ToContainTextAsync("Waiting for approval");
        await Expect(page.Locator("#daily-table tbody tr")).ToHaveCountAsync(7);
        await page.ClickAsync("text=The numbers per day");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/b-analytics.png", FullPage = true });

        // One channel, chosen on the form.
        await page.SelectOptionAsync("#channel", "chat");
        await page.ClickAsync("#apply-period");
        await Expect(page.Locator("#fig-handled")).ToHaveTextAsync("6");
        await Expect(page.Locator("#fig-resolved-rate")).ToHaveTextAsync("40 %");
        await Expect(page.Locator("#period-text")).ToContainTextAsync("channel: chat");
        await Expect(page.Locator("#csv-link")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("analytics\\.csv\\?from=.*&channel=chat$"));

        // A preset keeps the channel: the last 90 days of chat, which also holds the two chat conversations just outside the week.
        await page.ClickAsync("#preset-90");
        await Expect(page.Locator("#preset-90")).ToHaveClassAsync("current");
        await Expect(page.Locator("#daily-table tbody tr")).ToHaveCountAsync(90);
        await Expect(page.Locator("#fig-handled")).ToHaveTextAsync("8");

        // A period backwards is refused and named.
        await page.GotoAsync(fixture.Url($"orgs/{organization.Id}/analytics?from={start.AddDays(7):yyyy-MM-dd}&to={start:yyyy-MM-dd}"));
        await Expect(page.Locator("#analytics-problems")).ToContainTextAsync("must be before to");
        await Expect(page.Locator("#analytics-figures")).ToHaveCountAsync(0);
        await Expect(page.Locator("#from")).ToHaveValueAsync($"{start.AddDays(7):yyyy-MM-dd}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/b-analytics-problem.png", FullPage = true });
    });
}
