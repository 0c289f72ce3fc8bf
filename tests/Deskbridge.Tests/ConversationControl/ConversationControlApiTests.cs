using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.ConversationControl;

/// <summary>PUT /api/organizations/{id}/conversation-control refuses what it cannot apply, naming the field, and saves nothing.</summary>
public sealed class ConversationControlApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private string Path => $"api/organizations/{fixture.World.Organization.Id}/conversation-control";

    [Theory]
    [InlineData("""{"takeover":"pause","burstWindowSeconds":3}""", "takeover")]
    [InlineData("""{"burstWindowSeconds":3}""", "takeover")]
    [InlineData("""{"takeover":"draft","burstWindowSeconds":61}""", "burstWindowSeconds")]
    [InlineData("""{"takeover":"draft","burstWindowSeconds":-1}""", "burstWindowSeconds")]
    public async Task Refuses_a_setting_it_cannot_apply_and_keeps_the_saved_one(string body, string field)
    {
        var before = await fixture.World.Deskbridge.Http.GetFromJsonAsync<JsonObject>(Path);

        var response = await fixture.World.Deskbridge.Http.PutAsync(Path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem!["errors"]![field]);
        Assert.Equal(before!.ToJsonString(), (await fixture.World.Deskbridge.Http.GetFromJsonAsync<JsonObject>(Path))!.ToJsonString());
    }

    [Fact]
    public async Task Defaults_are_stop_and_the_configured_window_until_saved()
    {
        await using var world = await ConnectedWorld.StartAsync(new Dictionary<string, string?> { ["Processing:ChatBurstWindow"] = "00:00:04" });
        var path = $"api/organizations/{world.Organization.Id}/conversation-control";

        var defaults = await world.Deskbridge.Http.GetFromJsonAsync<JsonObject>(path);
        (await world.Deskbridge.Http.PutAsJsonAsync(path, new { takeover = "Answer", burstWindowSeconds = 0 })).EnsureSuccessStatusCode();
        var saved = await world.Deskbridge.Http.GetFromJsonAsync<JsonObject>(path);

        Assert.Equal("stop", (string?)defaults!["takeover"]);
        Assert.Null((int?)defaults["burstWindowSeconds"]);
        Assert.Equal(4.0, (double?)defaults["chatBurstWindowSeconds"]);
        Assert.Equal("answer", (string?)saved!["takeover"]);
        Assert.Equal(0.0, (double?)saved["chatBurstWindowSeconds"]);
    }
}
