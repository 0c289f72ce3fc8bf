using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>The credential form's client-secret field: empty keeps the saved secret; only the remove box erases it.</summary>
public sealed class CredentialsFormTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private async Task<bool> HasClientSecretAsync() =>
        (bool)(await fixture.World.Deskbridge.Http.GetFromJsonAsync<JsonObject>($"api/organizations/{fixture.Spare.Id}"))!["connection"]!["hasClientSecret"]!;

    [Fact]
    public Task Resaving_without_retyping_the_client_secret_keeps_the_v3_check() => fixture.RunAsync(async page =>
    {
        var world = fixture.World;
        var sandbox = world.Sandbox.Options;
        var userId = sandbox.AiUserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (await world.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{fixture.Spare.Id}/hubspot", new
        {
            accessToken = sandbox.DemoToken, defaultUserId = userId, clientSecret = sandbox.ClientSecret, apiBaseUrl = world.Sandbox.BaseAddress.ToString(),
        })).EnsureSuccessStatusCode();

        async Task SaveAsync(bool remove)
        {
            await page.GotoAsync(fixture.Url($"orgs/{fixture.Spare.Id}/settings"));
            await page.FillAsync("#accessToken", sandbox.DemoToken);
            if (remove)
            {
                await page.CheckAsync("#removeClientSecret");
            }
            await page.ClickAsync("#save-credentials");
            await Expect(page.Locator("#check-result")).ToContainTextAsync("Saved");
        }

        await SaveAsync(remove: false);
        Assert.True(await HasClientSecretAsync(), "the form's empty secret field erased the saved secret");

        await SaveAsync(remove: true);
        Assert.False(await HasClientSecretAsync());
        await page.GotoAsync(fixture.Url($"orgs/{fixture.Spare.Id}/settings"));
        await Expect(page.Locator("#removeClientSecret")).ToHaveCountAsync(0);
    });
}
