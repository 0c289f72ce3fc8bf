using System.Net.Http.Json;
using Deskbridge.Testing;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>The switches form validates like PUT /api/organizations/{id}/settings: both call OrganizationSettings.</summary>
public sealed partial class DashboardTests
{
    [Fact]
    public Task Switches_form_refuses_an_unknown_channel_and_saves_nothing() => fixture.RunAsync(async page =>
    {
        var before = await World.Deskbridge.Http.GetFromJsonAsync<DeskbridgeApi.Organization>($"api/organizations/{fixture.Spare.Id}", DeskbridgeTestHost.Json);
        await page.GotoAsync(fixture.Url($"orgs/{fixture.Spare.Id}/settings"));
        // A tampered (or stale) form: the page only offers HubSpot's channels, so the value is changed behind its back.
        await page.EvalOnSelectorAsync("#switches input[name=autopilot]", "box => { box.value = 'fax'; box.checked = true; }");
        await page.CheckAsync("#switches input[name=assistMode]");
        await page.ClickAsync("#save-switches");

        // Before this, the page dropped "fax" without a word and saved the rest; now it answers as the API does.
        await Expect(page.Locator("[data-field=autopilotChannels]")).ToContainTextAsync("Unknown channel(s): fax");
        var after = await World.Deskbridge.Http.GetFromJsonAsync<DeskbridgeApi.Organization>($"api/organizations/{fixture.Spare.Id}", DeskbridgeTestHost.Json);
        Assert.Equal(before!.AutopilotChannels, after!.AutopilotChannels);
        Assert.Equal(before.AssistMode, after.AssistMode);
        Assert.False(after.AssistMode);
    });
}
