using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>An OAuth app world (sandbox app + Deskbridge configured with it) and one Chromium, for the install tests.</summary>
public sealed class AppInstallFixture : IAsyncLifetime
{
    public AppWorld World { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright _playwright = null!;

    public async Task InitializeAsync()
    {
        World = await AppWorld.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await World.DisposeAsync();
    }

    /// <summary>A fresh page signed in as the organization's owner; on failure a screenshot lands in the output folder.</summary>
    public async Task RunAsync(Func<IPage, Task> test, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = World.Deskbridge.BaseAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("login");
            await page.FillAsync("#email", World.OwnerEmail);
            await page.FillAsync("#password", People.Password);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
            await test(page);
        }
        catch
        {
            var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}

/// <summary>U1, U2 in the browser: "Install in HubSpot", HubSpot's consent page, the AI user picked from a list, a customer answered.</summary>
public sealed class HubSpotAppInstallTests(AppInstallFixture fixture) : IClassFixture<AppInstallFixture>
{
    [Fact]
    public Task Installing_in_HubSpot_and_picking_the_AI_user_from_the_list_gets_the_customer_answered() => fixture.RunAsync(async page =>
    {
        var world = fixture.World;
        var sandbox = world.Sandbox.Options;
        await page.GotoAsync(world.SettingsPath);

        await page.ClickAsync("#install-hubspot-app");
        // HubSpot's side: the account is chosen on its consent page and the app connected.
        await page.WaitForURLAsync(url => url.StartsWith(world.Sandbox.BaseAddress.ToString(), StringComparison.Ordinal));
        await Expect(page.Locator("#scopes")).ToContainTextAsync("conversations.write");
        await page.SelectOptionAsync("#portal_id", sandbox.PortalId.ToString(CultureInfo.InvariantCulture));
        await page.ClickAsync("#authorize");

        await page.WaitForURLAsync(url => url.Contains($"/orgs/{world.Organization.Id}/settings", StringComparison.Ordinal));
        await Expect(page.Locator(".notice, [role=status]").First).ToContainTextAsync($"Installed in HubSpot portal {sandbox.PortalId}");
        await Expect(page.Locator("#connected-by")).ToContainTextAsync("the HubSpot app");
        await Expect(page.Locator("#ai-user-missing")).ToBeVisibleAsync();
        await Expect(page.Locator("#ai-user-select option")).ToContainTextAsync(["Deskbridge AI (ai@demo-shop.example) — 71822709", "Hannah Human (hannah@demo-shop.example) — 71822710"]);
        await page.SelectOptionAsync("#ai-user-select", sandbox.AiUserId.ToString(CultureInfo.InvariantCulture));
        await page.ClickAsync("#choose-ai-user");
        await Expect(page.Locator("#ai-user-current")).ToContainTextAsync(sandbox.AiUserId.ToString(CultureInfo.InvariantCulture));

        var written = await world.CustomerWritesAsync("How long does shipping take?");
        var replies = await Eventually.UntilAsync(() => world.MessagesFromAsync(written.ThreadId, world.AiActor), r => r.Count >= 1, TimeSpan.FromSeconds(30));
        Assert.Contains("<!-- OpenCX-AI-Response -->", (string?)replies[0]["richText"], StringComparison.Ordinal);
    });

    [Fact]
    public Task A_private_app_connection_picks_the_AI_user_from_the_portals_users_and_keeps_the_typed_number() => fixture.RunAsync(async page =>
    {
        var world = fixture.World;
        var sandbox = world.Sandbox.Options;
        var organization = await world.Deskbridge.CreateOrganizationAsync("Private Shop", "private-shop");
        await world.Deskbridge.AddMemberAsync(organization.Id, "Owner", world.OwnerEmail);
        (await world.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{organization.Id}/hubspot", new
        {
            accessToken = sandbox.DemoToken, defaultUserId = sandbox.AiUserId.ToString(CultureInfo.InvariantCulture), apiBaseUrl = world.Sandbox.BaseAddress.ToString(),
        })).EnsureSuccessStatusCode();
        await page.GotoAsync($"orgs/{organization.Id}/settings");
        await Expect(page.Locator("#defaultUserId")).ToBeVisibleAsync();

        await page.ClickAsync("#pick-ai-user");
        await page.SelectOptionAsync("#ai-user-select", sandbox.HumanUserId.ToString(CultureInfo.InvariantCulture));
        await page.ClickAsync("#choose-ai-user");

        await Expect(page.Locator("#ai-user-current")).ToContainTextAsync(sandbox.HumanUserId.ToString(CultureInfo.InvariantCulture));
        var connection = (await world.Deskbridge.Http.GetFromJsonAsync<JsonObject>($"api/organizations/{organization.Id}"))!["connection"]!;
        Assert.Equal(sandbox.HumanUserId, connection["defaultUserId"]!.GetValue<long>());
        // Typing the number stays possible, with the old checks (an A- prefix is refused by name).
        await page.FillAsync("#accessToken", sandbox.DemoToken);
        await page.FillAsync("#defaultUserId", $"A-{sandbox.AiUserId}");
        await page.ClickAsync("#save-credentials");
        await Expect(page.Locator("[data-field=defaultUserId]")).ToContainTextAsync("without A-");
    });
}
