using Deskbridge.Testing;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>The events page's bulk retry form: failed events by reason and time go back into the inbox; members do not see it.</summary>
public sealed class EventRetryTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public Task Retry_form_requeues_the_failed_events_that_match() => fixture.RunAsync(async page =>
    {
        // Replies fail with MISSING_SCOPES until the token has conversations.write again.
        await World.ConnectAsync(await World.CreateTokenAsync("crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read",
            "crm.objects.deals.read", "crm.objects.owners.read", "tickets", "conversations.read", "oauth"), World.Sandbox.Options.ClientSecret);
        var threads = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var written = await World.CustomerWritesAsync("How long does shipping take?");
            await World.SettledEventsAsync(written.ThreadId, atLeast: 2);
            threads.Add(written.ThreadId);
        }
        await World.ConnectAsync(World.Sandbox.Options.DemoToken, World.Sandbox.Options.ClientSecret);

        await page.GotoAsync(fixture.Url($"orgs/{World.Organization.Id}/events?fate=Failed"));
        await Expect(page.Locator("#events tbody tr")).ToHaveCountAsync(2);

        // An empty form retries nothing and says why.
        await page.ClickAsync("#retry-matching");
        await Expect(page.Locator(".banner.bad")).ToContainTextAsync("Nothing retried");

        await page.FillAsync("#retry-reason", "missing_scopes");
        await page.FillAsync("#retry-from", DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("#retry-matching");
        await Expect(page.Locator(".banner.ok")).ToContainTextAsync("2 failed events are back in the inbox");
        await SaveScreenshotAsync(page, "bulk-retry-done");

        foreach (var thread in threads)
        {
            var events = await World.SettledEventsAsync(thread, atLeast: 2);
            Assert.DoesNotContain(events, e => e.Fate == "Failed");
            Assert.Single(await World.MessagesFromAsync(thread, World.AiActor));
        }
        await page.ReloadAsync();
        await Expect(page.Locator("#no-events")).ToBeVisibleAsync();
    });

    [Fact]
    public Task Members_do_not_see_the_retry_form() => fixture.RunAsync(async page =>
    {
        var member = await World.Deskbridge.AddMemberAsync(World.Organization.Id, "Member");
        await fixture.SignInAsync(page, member);
        await page.GotoAsync(fixture.Url($"orgs/{World.Organization.Id}/events"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Event log");
        await Expect(page.Locator("#bulk-retry")).ToHaveCountAsync(0);
    }, signedIn: false);

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
