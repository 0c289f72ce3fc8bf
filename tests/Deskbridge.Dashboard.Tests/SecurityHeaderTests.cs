using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>Every page comes with the security headers, and its scripts still run under the CSP without a violation.</summary>
public sealed class SecurityHeaderTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    /// <summary>Records console errors, page errors and CSP violations (the securitypolicyviolation event) of the page.</summary>
    private static async Task<List<string>> WatchAsync(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        await page.ExposeFunctionAsync("reportViolation", (string text) => problems.Add($"CSP violation: {text}"));
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));");
        return problems;
    }

    private static void AssertHeaders(IResponse? response, string path)
    {
        Assert.NotNull(response);
        var headers = response.Headers;
        Assert.True(headers.TryGetValue("content-security-policy", out var csp), $"{path}: no CSP");
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'nonce-", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", headers.GetValueOrDefault("x-frame-options"));
        Assert.Equal("nosniff", headers.GetValueOrDefault("x-content-type-options"));
        Assert.Equal("same-origin", headers.GetValueOrDefault("referrer-policy"));
    }

    [Fact]
    public Task Every_page_has_the_headers_and_no_csp_violation() => fixture.RunAsync(async page =>
    {
        var problems = await WatchAsync(page);
        var id = fixture.World.Organization.Id;
        foreach (var path in new[] { "", $"orgs/{id}/settings", $"orgs/{id}/health", $"orgs/{id}/events", $"orgs/{id}/setup", $"orgs/{id}/access" })
        {
            var response = await page.GotoAsync(fixture.Url(path));
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            AssertHeaders(response, path);
        }
        Assert.Empty(problems);
    });

    [Fact]
    public Task Sign_in_page_has_the_headers() => fixture.RunAsync(async page =>
    {
        var problems = await WatchAsync(page);
        AssertHeaders(await page.GotoAsync(fixture.Url("login")), "login");
        await Expect(page.Locator("#email")).ToBeVisibleAsync();
        Assert.Empty(problems);
    }, signedIn: false);

    [Fact]
    public Task Copy_button_and_confirm_prompt_still_work_under_the_csp() => fixture.RunAsync(async page =>
    {
        var problems = await WatchAsync(page);
        await page.GotoAsync(fixture.Url($"orgs/{fixture.World.Organization.Id}/settings"));

        await page.ClickAsync("#copy-webhook");
        await Expect(page.Locator("#copy-status")).ToHaveTextAsync("Copied");

        // The rotate form asks first (data-confirm, handled by the layout's script): dismissed, nothing rotates.
        var before = await page.InputValueAsync("#webhook-url");
        var asked = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            asked.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        await page.ClickAsync("text=Rotate URL");
        await page.WaitForTimeoutAsync(300);
        Assert.Single(asked);
        Assert.Equal(before, await page.InputValueAsync("#webhook-url"));
        Assert.Empty(problems);
    });
}
