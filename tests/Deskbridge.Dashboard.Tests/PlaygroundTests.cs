using Deskbridge.Testing;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>The playground, reached from the dashboard: try a message, save it as a case, run the saved cases.</summary>
public sealed class PlaygroundTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public Task Tries_a_paraphrase_saves_it_as_a_case_and_runs_the_suite() => fixture.RunAsync(async page =>
    {
        var before = await World.RequestSequenceAsync();
        await page.GotoAsync(fixture.Url(""));
        await page.Locator($"a[href='/orgs/{World.Organization.Id}/playground']").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Playground");

        await page.SelectOptionAsync("#pg-channel", "email");
        await page.FillAsync("#pg-text", "How soon is the money back on my card after you receive the return?");
        await page.ClickAsync("#pg-try");

        await Expect(page.Locator("#pg-decision")).ToHaveTextAsync("Decision: answer");
        await Expect(page.Locator("#pg-answer")).ToContainTextAsync("Returns and refunds");
        await Expect(page.Locator("#pg-sources tbody tr.ok").First).ToContainTextAsync("quoted");
        Assert.Empty(await World.RequestsSinceAsync(before));

        await page.ClickAsync("#pg-save-button");
        await Expect(page.Locator(".banner.ok")).ToContainTextAsync("should be answered from returns-and-refunds");

        await page.FillAsync("#pg-text", "Can I become a wholesale partner and resell your goods?");
        await page.ClickAsync("#pg-try");
        await Expect(page.Locator("#pg-decision")).ToContainTextAsync("hand off");
        await Expect(page.Locator("#pg-reason")).ToContainTextAsync("the closest was");
        await page.ClickAsync("#pg-save-button");
        await Expect(page.Locator(".banner.ok")).ToContainTextAsync("should be handed off");

        await page.ClickAsync("#pg-run");
        await Expect(page.Locator("#pg-pass-rate")).ToHaveTextAsync("2 of 2 passed (100%)");
    });
}
