using System.Net.Http.Json;
using System.Text.Json.Nodes;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>G3/G5 on the settings page: validated like PUT /api/organizations/{id}/conversation-control (both call ConversationControlSettings).</summary>
public sealed partial class DashboardTests
{
    private async Task<JsonObject> ConversationControlAsync(Guid organizationId) =>
        (await World.Deskbridge.Http.GetFromJsonAsync<JsonObject>($"api/organizations/{organizationId}/conversation-control"))!;

    [Fact]
    public Task Conversation_control_form_refuses_a_window_out_of_range_and_saves_a_valid_one() => fixture.RunAsync(async page =>
    {
        await page.GotoAsync(fixture.Url($"orgs/{fixture.Spare.Id}/settings"));
        await Expect(page.Locator("#takeover")).ToHaveValueAsync("stop");

        await page.SelectOptionAsync("#takeover", "draft");
        await page.FillAsync("#burstWindowSeconds", "99");
        await page.ClickAsync("#save-conversation-control");

        await Expect(page.Locator("[data-field=burstWindowSeconds]")).ToContainTextAsync("0 to 60 seconds");
        // The refused form keeps what was typed, and nothing was saved.
        await Expect(page.Locator("#burstWindowSeconds")).ToHaveValueAsync("99");
        Assert.Equal("stop", (string?)(await ConversationControlAsync(fixture.Spare.Id))["takeover"]);

        await page.FillAsync("#burstWindowSeconds", "5");
        await page.ClickAsync("#save-conversation-control");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Conversation control saved.");
        await page.ReloadAsync();

        await Expect(page.Locator("#takeover")).ToHaveValueAsync("draft");
        await Expect(page.Locator("#burstWindowSeconds")).ToHaveValueAsync("5");
        var saved = await ConversationControlAsync(fixture.Spare.Id);
        Assert.Equal("draft", (string?)saved["takeover"]);
        Assert.Equal(5, (int?)saved["burstWindowSeconds"]);
        Assert.Equal(5.0, (double?)saved["chatBurstWindowSeconds"]);

        // Back to the defaults, so the other tests find the spare organization as it was.
        await page.SelectOptionAsync("#takeover", "stop");
        await page.FillAsync("#burstWindowSeconds", "");
        await page.ClickAsync("#save-conversation-control");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Conversation control saved.");
        Assert.Null((int?)(await ConversationControlAsync(fixture.Spare.Id))["burstWindowSeconds"]);
    });
}
