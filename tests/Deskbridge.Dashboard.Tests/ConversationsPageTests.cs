using Deskbridge.Agent;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>
/// I1: the conversations page over a seeded history whose right answers the test knows: newest activity first, the
/// filter form, next and previous pages, each row opening its session. Seeded in the spare organization, which no
/// other conversation reaches.
/// </summary>
public sealed class ConversationsPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Newest = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly List<Session> _seeded = [];

    private ConnectedWorld World => fixture.World;
    private string PageUrl(string query = "") => fixture.Url($"orgs/{fixture.Spare.Id}/conversations{query}");

    public async Task InitializeAsync()
    {
        await using var scope = World.Deskbridge.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        if (db.Sessions.Any(s => s.OrganizationId == fixture.Spare.Id))
        {
            _seeded.AddRange(db.Sessions.Where(s => s.OrganizationId == fixture.Spare.Id));
            return;
        }
        // 60 conversations, one a minute back from Newest: 20 answered (chat, en), 15 handed off (email, de), 10 with a
        // human (chat), 10 drafted (whatsapp), 5 waiting (chat, fr); one of the handed-off ones is the VIP's.
        for (var i = 0; i < 60; i++)
        {
            var (status, channel, language) = i switch
            {
                < 20 => (ConversationStatus.AnsweredByAi, "chat", "en"),
                < 35 => (ConversationStatus.HandedOff, "email", "de"),
                < 45 => (ConversationStatus.WithHuman, "chat", "en"),
                < 55 => (ConversationStatus.Drafted, "whatsapp", "en"),
                _ => (ConversationStatus.Waiting, "chat", "fr"),
            };
            var last = Newest.AddMinutes(-i).ToUnixTimeMilliseconds();
            var handedOff = status == ConversationStatus.HandedOff;
            _seeded.Add(new Session
            {
                OrganizationId = fixture.Spare.Id,
                ThreadId = $"seed-{i:00}",
                CreatedAt = Newest.AddDays(-1),
                CustomerEmail = i == 30 ? "vip@bigcorp.example" : $"buyer{i:00}@shop.example",
                ContactId = (9000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Subject = $"Question {i:00}",
                Channel = channel,
                Language = language,
                Status = status,
                State = handedOff ? SessionState.HandedOff : SessionState.Active,
                HandoffReason = handedOff ? "No knowledge-base article matched the question about returns well enough." : null,
                HandoffTrigger = handedOff ? nameof(HandoffTrigger.LowConfidence) : null,
                HandedOffAt = handedOff ? last - 1000 : null,
                FirstCustomerMessageAt = last - 60_000,
                LastCustomerMessageAt = last - 60_000,
                CustomerMessages = 1 + i % 3,
                AiReplies = status == ConversationStatus.AnsweredByAi ? 1 : 0,
                FirstAiReplyAt = status == ConversationStatus.AnsweredByAi ? last : null,
                LastActivityAt = last,
            });
        }
        db.Sessions.AddRange(_seeded);
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public Task Lists_newest_activity_first_and_pages_forward_and_back() => fixture.RunAsync(async page =>
    {
        await page.GotoAsync(PageUrl());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Conversations");
        await Expect(page.Locator("header nav a.current")).ToHaveTextAsync("Conversations");
        var rows = page.Locator("#conversations tbody tr");
        await Expect(rows).ToHaveCountAsync(25);
        await Expect(rows.First).ToHaveAttributeAsync("data-session-id", Seed(0).Id.ToString());
        await Expect(rows.Nth(24)).ToHaveAttributeAsync("data-session-id", Seed(24).Id.ToString());
        await Expect(page.Locator("#previous-page")).ToHaveCountAsync(0);
        await Screenshot(page, "first-page");

        await page.ClickAsync("#next-page");
        await Expect(rows.First).ToHaveAttributeAsync("data-session-id", Seed(25).Id.ToString());
        await page.ClickAsync("#next-page");
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(rows.Last).ToHaveAttributeAsync("data-session-id", Seed(59).Id.ToString());
        await Expect(page.Locator("#next-page")).ToHaveCountAsync(0);

        await page.ClickAsync("#previous-page");
        await Expect(rows).ToHaveCountAsync(25);
        await Expect(rows.First).ToHaveAttributeAsync("data-session-id", Seed(25).Id.ToString());
        await page.ClickAsync("#previous-page");
        await Expect(rows.First).ToHaveAttributeAsync("data-session-id", Seed(0).Id.ToString());
        await Expect(page.Locator("#previous-page")).ToHaveCountAsync(0);

        await rows.First.Locator("a").First.ClickAsync();
        await page.WaitForURLAsync($"**/sessions/{Seed(0).Id}");
    });

    [Fact]
    public Task Filter_form_narrows_by_state_and_language_and_the_pages_keep_the_filter() => fixture.RunAsync(async page =>
    {
        await page.GotoAsync(PageUrl());
        await page.SelectOptionAsync("#f-status", "HandedOff");
        await page.FillAsync("#f-language", "de");
        await page.ClickAsync("#apply-filters");

        var rows = page.Locator("#conversations tbody tr");
        await Expect(rows).ToHaveCountAsync(15);
        foreach (var status in await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.status)"))
        {
            Assert.Equal("HandedOff", status);
        }
        await Expect(rows.First).ToContainTextAsync("LowConfidence");
        await Expect(page.Locator("#next-page")).ToHaveCountAsync(0);
        await Expect(page.Locator("#f-status")).ToHaveValueAsync("HandedOff");
        await Screenshot(page, "handed-off-de");

        // A customer by the start of their address, within the same state.
        await page.FillAsync("#f-customer", "VIP@");
        await page.ClickAsync("#apply-filters");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-session-id", Seed(30).Id.ToString());

        // Paging keeps the filter: chat is 35 conversations, so two pages, every row chat.
        await page.GotoAsync(PageUrl("?channel=chat"));
        await Expect(rows).ToHaveCountAsync(25);
        await page.ClickAsync("#next-page");
        await Expect(rows).ToHaveCountAsync(10);
        Assert.Contains("channel=chat", page.Url, StringComparison.Ordinal);
        Assert.All(await rows.Locator("td:nth-child(4)").AllInnerTextsAsync(), cell => Assert.StartsWith("chat", cell, StringComparison.Ordinal));
    });

    [Fact]
    public Task Bad_filter_is_named_instead_of_a_list() => fixture.RunAsync(async page =>
    {
        await page.GotoAsync(PageUrl("?language=english&status=solved"));

        await Expect(page.Locator("#filter-problems")).ToContainTextAsync("ISO 639-1");
        await Expect(page.Locator("#filter-problems")).ToContainTextAsync("Unknown status \"solved\"");
        await Expect(page.Locator("#conversations")).ToHaveCountAsync(0);
        await Screenshot(page, "bad-filter");
    });

    private Session Seed(int i) => _seeded.Single(s => s.ThreadId == $"seed-{i:00}");

    private static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = $"/tmp/engineer-a-conversations-{name}.png", FullPage = true });
}
