using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>The Knowledge pages in Chromium: reached from the organization's pages, the editor's live preview, upload, import refusal, search, delete.</summary>
public sealed partial class DashboardTests
{
    [Fact]
    public Task Knowledge_page_writes_an_article_with_a_live_preview_uploads_a_file_searches_and_deletes() => fixture.RunAsync(async page =>
    {
        var organization = fixture.Spare.Id;
        await page.GotoAsync(fixture.Url($"orgs/{organization}/health"));
        await page.ClickAsync("header nav >> text=Knowledge");
        await Expect(page).ToHaveURLAsync(fixture.Url($"orgs/{organization}/knowledge"));
        await Expect(page.Locator("#folder-notice")).ToContainTextAsync("files on the server");

        await page.ClickAsync("#new-article");
        await page.FillAsync("#article-title", "Click and collect");
        await page.FillAsync("#article-markdown", "Collect your order in **any shop** after two hours.\n\n- Bring the confirmation email\n\n<script>window.pwned = 1</script>");
        await Expect(page.Locator("#article-preview strong")).ToHaveTextAsync("any shop");
        await Expect(page.Locator("#article-preview li")).ToHaveTextAsync("Bring the confirmation email");
        Assert.Equal(0, await page.Locator("#article-preview script").CountAsync());
        await page.ClickAsync("#save-article");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Saved \"Click and collect\"");

        await page.ClickAsync("text=← Knowledge");
        await Expect(page.Locator("#folder-notice")).ToHaveCountAsync(0);
        await page.SetInputFilesAsync("#upload-files", new FilePayload
        {
            Name = "store-hours.md",
            MimeType = "text/markdown",
            Buffer = Encoding.UTF8.GetBytes("# Store hours\n\nOur shops open at nine."),
        });
        await page.ClickAsync("#upload button[type=submit]");
        await Expect(page.Locator("#import-report")).ToContainTextAsync("1 added");
        await Expect(page.Locator("#import-report li.added")).ToContainTextAsync("Store hours");
        await Expect(page.Locator("tr.article-row")).ToHaveCountAsync(2);

        // The dashboard's service allows no loopback imports: the refusal is shown, nothing is fetched.
        await page.FillAsync("#import-url", "http://127.0.0.1:9/sitemap.xml");
        await page.ClickAsync("#web-import button[type=submit]");
        await Expect(page.Locator("#import-refused")).ToContainTextAsync("private, loopback or link-local");

        await page.FillAsync("#knowledge-search", "nine");
        await page.PressAsync("#knowledge-search", "Enter");
        await Expect(page.Locator("tr.article-row")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr.article-row")).ToContainTextAsync("Store hours");

        await page.GotoAsync(fixture.Url($"orgs/{organization}/knowledge"));
        await page.ClickAsync("tr.article-row >> text=Click and collect");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.ClickAsync("#delete-article");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Article deleted");
        await Expect(page.Locator("tr.article-row")).ToHaveCountAsync(1);

        var articles = await World.Deskbridge.Http.GetFromJsonAsync<JsonArray>($"api/organizations/{organization}/knowledge/articles");
        Assert.Equal("Store hours", (string?)Assert.Single(articles!)!["title"]);
        Assert.Equal(fixture.OwnerEmail, (string?)articles![0]!["updatedBy"]);
    });
}
