using System.Runtime.CompilerServices;
using Deskbridge.Testing;
using Microsoft.Playwright;

namespace Deskbridge.Dashboard.Tests;

/// <summary>
/// One connected world (sandbox + Deskbridge on real ports) and one Chromium per test class. The owner of the world's
/// organization also owns a spare organization that the credential tests connect and disconnect at will.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public ConnectedWorld World { get; private set; } = null!;
    public DeskbridgeApi.Organization Spare { get; private set; } = null!;
    public string OwnerEmail { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright _playwright = null!;
    private string? _ownerState;

    public string Url(string path) => new Uri(World.Deskbridge.BaseAddress, path).ToString();

    public async Task InitializeAsync()
    {
        World = await ConnectedWorld.StartAsync();
        OwnerEmail = await World.Deskbridge.AddMemberAsync(World.Organization.Id, "Owner", "owner@example.com");
        Spare = await World.Deskbridge.CreateOrganizationAsync("Spare Shop", "spare");
        await World.Deskbridge.AddMemberAsync(Spare.Id, "Owner", OwnerEmail);

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

    /// <summary>A fresh browser context; signed in as the owner unless asked otherwise (the sign-in is done once and reused).</summary>
    public async Task<IPage> PageAsync(bool signedIn = true)
    {
        if (signedIn && _ownerState is null)
        {
            var context = await Browser.NewContextAsync();
            var page = await context.NewPageAsync();
            await SignInAsync(page, OwnerEmail);
            _ownerState = await context.StorageStateAsync();
            await context.CloseAsync();
        }
        var fresh = await Browser.NewContextAsync(new BrowserNewContextOptions { StorageState = signedIn ? _ownerState : null, BaseURL = World.Deskbridge.BaseAddress.ToString() });
        fresh.SetDefaultTimeout(10_000);
        return await fresh.NewPageAsync();
    }

    public async Task SignInAsync(IPage page, string email, string password = People.Password)
    {
        await page.GotoAsync(Url("login"));
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }

    /// <summary>Runs a test on a fresh page; on failure, saves a screenshot into the test output folder and rethrows.</summary>
    public async Task RunAsync(Func<IPage, Task> test, bool signedIn = true, [CallerMemberName] string name = "")
    {
        var page = await PageAsync(signedIn);
        try
        {
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
            await page.Context.CloseAsync();
        }
    }
}
