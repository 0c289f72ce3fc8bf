using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>I3 in Chromium: questions the AI could not answer, grouped on the gaps page; a group opens a pre-filled article.</summary>
public sealed partial class DashboardTests
{
    private static readonly string[] GiftWrappingQuestions =
    [
        "Do you offer gift wrapping for presents?",
        "Can you wrap my order as a gift before shipping it?",
        "Is gift wrap possible, with a handwritten note inside the wrapped present?",
    ];

    [Fact]
    public Task Knowledge_gaps_page_groups_unanswered_questions_and_writes_a_prefilled_article_from_a_group() => fixture.RunAsync(async page =>
    {
        var organization = World.Organization.Id;
        var asked = new List<Testing.ConnectedWorld.Written>();
        foreach (var question in GiftWrappingQuestions.Append("Do you have a loyalty program where I collect reward points?").Append("How do I join your rewards club to earn points on purchases?"))
        {
            asked.Add(await World.CustomerWritesAsync(question));
        }
        foreach (var written in asked)
        {
            var events = await World.SettledEventsAsync(written.ThreadId, atLeast: 3);
            Assert.Contains("(LowConfidence)", events.Single(e => e.MessageId == written.MessageId).Reason, StringComparison.Ordinal);
        }

        await page.GotoAsync(fixture.Url($"orgs/{organization}/knowledge"));
        await page.ClickAsync("header nav >> text=Knowledge gaps");
        await Expect(page).ToHaveURLAsync(fixture.Url($"orgs/{organization}/knowledge-gaps"));
        var gift = page.Locator("section.gap-group", new() { HasText = "Do you offer gift wrapping for presents?" });
        await Expect(gift).ToHaveAttributeAsync("data-count", "3");
        foreach (var question in GiftWrappingQuestions)
        {
            await Expect(gift.Locator(".gap-question", new() { HasText = question })).ToHaveCountAsync(1);
        }
        var loyalty = page.Locator("section.gap-group", new() { HasText = "loyalty program" });
        await Expect(loyalty).ToHaveAttributeAsync("data-count", "2");
        await Expect(loyalty).ToContainTextAsync("rewards club");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/c-knowledge-gaps.png", FullPage = true });

        await gift.Locator("button.write-article").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/orgs/{organization}/knowledge/new"));
        await Expect(page.Locator("#from-gaps")).ToBeVisibleAsync();
        var title = await page.InputValueAsync("#article-title");
        Assert.StartsWith("Gift", title, StringComparison.Ordinal);
        var markdown = await page.InputValueAsync("#article-markdown");
        Assert.Contains("Customers asked this 3 times on ", markdown, StringComparison.Ordinal);
        foreach (var question in GiftWrappingQuestions)
        {
            Assert.Contains(question, markdown, StringComparison.Ordinal);
        }
        await Expect(page.Locator("#article-preview li")).ToHaveCountAsync(3);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/c-knowledge-gap-article.png", FullPage = true });

        await page.FillAsync("#article-markdown", "Yes: every order can be gift wrapped for 3 EUR, with a handwritten note. Choose *Gift wrap* at checkout.");
        await page.ClickAsync("#save-article");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("3 knowledge-gap questions are marked addressed");

        await page.GotoAsync(fixture.Url($"orgs/{organization}/knowledge-gaps"));
        await Expect(page.Locator("section.gap-group", new() { HasText = "gift wrapping" })).ToHaveCountAsync(0);
        await Expect(page.Locator("section.gap-group", new() { HasText = "loyalty program" })).ToHaveAttributeAsync("data-count", "2");
        await Expect(page.Locator("#gap-summary")).ToContainTextAsync("3 more addressed");

        var articles = await World.Deskbridge.Http.GetFromJsonAsync<JsonArray>($"api/organizations/{organization}/knowledge/articles");
        Assert.Contains(articles!, a => (string?)a!["title"] == title);
    });

    [Fact]
    public Task A_prefilled_article_is_cut_to_the_editors_limits_and_shown_as_text_not_markup() => fixture.RunAsync(async page =>
    {
        var organization = fixture.Spare.Id;
        await page.GotoAsync(fixture.Url($"orgs/{organization}/knowledge"));
        // What a tampered gaps page could post: markup in the title, a script in the body, junk among the ids, too much of everything.
        await page.EvaluateAsync(@"(org) => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = '/orgs/' + org + '/knowledge/new?handler=Prefill';
            const add = (name, value) => { const i = document.createElement('input'); i.type = 'hidden'; i.name = name; i.value = value; form.appendChild(i); };
            add('__RequestVerificationToken', document.querySelector('input[name=__RequestVerificationToken]').value);
            add('title', '<script>window.pwned = 1</script>' + 'x'.repeat(400));
            add('markdown', '<img src=x onerror=""window.pwned = 2""> **bold** ' + 'y'.repeat(9000));
            add('gap', '7, abc, -3, 7, 9');
            document.body.appendChild(form);
            form.submit();
        }", organization.ToString());
        await Expect(page.Locator("#from-gaps")).ToBeVisibleAsync();

        var title = await page.InputValueAsync("#article-title");
        Assert.Equal(300, title.Length);
        Assert.StartsWith("<script>window.pwned = 1</script>", title, StringComparison.Ordinal);
        Assert.Equal(8000, (await page.InputValueAsync("#article-markdown")).Length);
        Assert.Equal("7,9", await page.Locator("input[name=gap]").InputValueAsync());
        await Expect(page.Locator("#article-preview strong")).ToHaveTextAsync("bold");
        Assert.Equal(0, await page.Locator("#article-preview img").CountAsync());
        Assert.Equal(0, await page.Locator("#article-preview script").CountAsync());
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.pwned"));
    });
}
