using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>G1/G2/G6 on the conversation control page: the policy editor validates like the API, drafts are approved from the dashboard.</summary>
public sealed partial class DashboardTests
{
    private async Task<List<JsonObject>> RulesAsync(Guid organizationId) =>
        (await World.Deskbridge.Http.GetFromJsonAsync<List<JsonObject>>($"api/organizations/{organizationId}/send-policy"))!;

    [Fact]
    public Task Policy_editor_adds_reorders_and_deletes_rules_and_names_every_problem() => fixture.RunAsync(async page =>
    {
        var policies = fixture.Url($"orgs/{fixture.Spare.Id}/policies");
        await page.GotoAsync(policies);

        // Add: the empty last row.
        await page.SelectOptionAsync("tr[data-rule='0'] select[name='rules[0].Action']", "draft");
        await page.SelectOptionAsync("tr[data-rule='0'] select[name='rules[0].Channel']", "email");
        await page.ClickAsync("#save-send-policy");
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Status)).ToContainTextAsync("Send policy saved: 1 rule(s).");

        // Add a second rule and move it to the top.
        await page.SelectOptionAsync("select[name='rules[1].Action']", "handoff");
        await page.SelectOptionAsync("select[name='rules[1].Intent']", "legal");
        await page.FillAsync("input[name='rules[1].Order']", "0");
        await page.ClickAsync("#save-send-policy");
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Status)).ToContainTextAsync("2 rule(s)");
        var rules = await RulesAsync(fixture.Spare.Id);
        Assert.Equal(["handoff", "draft"], rules.Select(r => (string?)r["action"]));
        Assert.Equal("legal", (string?)rules[0]["intent"]);

        // A bad rule is refused with a message per problem, next to the rule; nothing is saved.
        await page.SelectOptionAsync("select[name='rules[2].Action']", "send");
        await page.FillAsync("input[name='rules[2].ConfidenceBelow']", "high");
        await page.FillAsync("input[name='rules[2].Language']", "german");
        await page.FillAsync("input[name='rules[2].Sender']", "not a sender");
        await page.ClickAsync("#save-send-policy");
        var errors = page.Locator("tr[data-errors='2']");
        await Expect(errors).ToContainTextAsync("Rule 3: confidenceBelow: 'high' is not a number between 0 and 1");
        await Expect(errors).ToContainTextAsync("language: 'german' is not a two-letter ISO 639-1 code");
        await Expect(errors).ToContainTextAsync("sender: 'not a sender' is neither an email address");
        // What was typed stays in the form.
        await Expect(page.Locator("input[name='rules[2].Language']")).ToHaveValueAsync("german");
        Assert.Equal(2, (await RulesAsync(fixture.Spare.Id)).Count);

        // Delete: fix nothing, drop the bad row and the first rule.
        await page.GotoAsync(policies);
        await page.CheckAsync("input[name='rules[0].Delete']");
        await page.ClickAsync("#save-send-policy");
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Status)).ToContainTextAsync("1 rule(s)");
        Assert.Equal("draft", (string?)Assert.Single(await RulesAsync(fixture.Spare.Id))["action"]);
    });

    [Fact]
    public Task Business_hours_form_refuses_an_unknown_time_zone_and_saves_a_week() => fixture.RunAsync(async page =>
    {
        await page.GotoAsync(fixture.Url($"orgs/{fixture.Spare.Id}/policies"));
        await page.FillAsync("#timeZone", "Europe/Atlantis");
        await page.FillAsync("input[aria-label='monday opens']", "09:00");
        await page.FillAsync("input[aria-label='monday closes']", "08:00");
        await page.ClickAsync("#save-hours");
        await Expect(page.Locator("[data-field=timeZone]")).ToContainTextAsync("'Europe/Atlantis' is not an IANA time zone");
        await Expect(page.Locator("[data-field=weekly]")).ToContainTextAsync("close: 08:00 is not after 09:00");

        await page.FillAsync("#timeZone", "Europe/Berlin");
        await page.FillAsync("input[aria-label='monday closes']", "17:30");
        await page.FillAsync("#holidays", "2026-12-25\n2026-12-26");
        await page.ClickAsync("#save-hours");
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Status)).ToContainTextAsync("Business hours saved.");
        var hours = await World.Deskbridge.Http.GetFromJsonAsync<JsonObject>($"api/organizations/{fixture.Spare.Id}/business-hours");
        Assert.Equal("Europe/Berlin", (string?)hours!["timeZone"]);
        Assert.Equal("17:30", (string?)hours["weekly"]![0]!["close"]);
        Assert.Equal(2, hours["holidays"]!.AsArray().Count);
    });

    [Fact]
    public Task Draft_is_approved_with_an_edit_from_the_dashboard_and_reaches_the_customer() => fixture.RunAsync(async page =>
    {
        (await World.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{World.Organization.Id}/send-policy", new[] { new { action = "draft", channel = "chat" } })).EnsureSuccessStatusCode();
        try
        {
            var written = await World.CustomerWritesAsync("How long does standard shipping take?");
            var draft = await Eventually.UntilAsync(
                async () => (await World.Deskbridge.Http.GetFromJsonAsync<List<JsonObject>>($"api/organizations/{World.Organization.Id}/drafts"))!
                    .FirstOrDefault(d => (string?)d["threadId"] == written.ThreadId && (string?)d["draftMessageId"] is not null),
                d => d is not null, what: "the draft");

            await page.GotoAsync(fixture.Url($"orgs/{World.Organization.Id}/policies"));
            var row = page.Locator($"tr[data-draft='{draft!["id"]}']");
            await Expect(row.Locator(".draft-state")).ToHaveTextAsync("pending");
            await row.Locator("textarea").FillAsync("Standard shipping takes 2 to 4 working days.");
            await row.GetByText("Send to the customer").ClickAsync();
            await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Status)).ToContainTextAsync("sent draft");
            await Expect(page.Locator($"tr[data-draft='{draft["id"]}'] .draft-state")).ToHaveTextAsync("edited");

            var messages = await World.MessagesAsync(written.ThreadId);
            var reply = Assert.Single(messages, m => (string?)m["type"] == "MESSAGE" && (string?)m["createdBy"] == World.AiActor);
            Assert.Equal("Standard shipping takes 2 to 4 working days.", (string?)reply["text"]);
        }
        finally
        {
            (await World.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{World.Organization.Id}/send-policy", Array.Empty<object>())).EnsureSuccessStatusCode();
        }
    });
}
