using Deskbridge.Testing;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>I4 on the settings page: the AI outcome's properties the token cannot create are named on save and on re-test, with what to do.</summary>
public sealed class OutcomePropertiesPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public Task Save_and_retest_name_the_contact_properties_the_token_cannot_create_without_calling_the_connection_incomplete() => fixture.RunAsync(async page =>
    {
        var sandbox = World.Sandbox.Options;
        await page.GotoAsync(fixture.Url($"orgs/{fixture.Spare.Id}/settings"));
        await page.EvalOnSelectorAsync("#credentials details", "d => d.open = true");
        await page.FillAsync("#accessToken", sandbox.DemoToken);
        await page.FillAsync("#defaultUserId", sandbox.AiUserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#apiBaseUrl", World.Sandbox.BaseAddress.ToString());
        await page.ClickAsync("#save-credentials");

        var saved = page.Locator("#check-result");
        await Expect(saved).ToContainTextAsync("Saved and verified");
        await Expect(saved.Locator(".check-note")).ToContainTextAsync("deskbridge_last_ai_outcome");
        await Expect(saved.Locator(".check-note")).ToContainTextAsync("crm.schemas.contacts.write");
        await SaveScreenshotAsync(page, "d-outcome-saved");

        await page.ClickAsync("#retest");
        var retest = page.Locator("#retest-result");
        await Expect(retest).ToContainTextAsync("Token: accepted by HubSpot");
        await Expect(retest).ToContainTextAsync("AI outcome: the contact properties deskbridge_last_ai_outcome, deskbridge_last_ai_conversation do not exist");
        await Expect(retest).ToContainTextAsync("Settings → Properties → Contact properties");
        await Expect(retest).Not.ToContainTextAsync("AI outcome: the ticket properties");
        await SaveScreenshotAsync(page, "d-outcome-retest");
    });

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = $"/tmp/{name}.png", FullPage = true });
    }
}
