using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Policies;

/// <summary>G1/G6: the admin API refuses bad rules, hours and messages with ProblemDetails naming the field, and saves nothing.</summary>
public sealed class PolicyApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ConnectedWorld World => fixture.World;

    private string Api(string path) => $"api/organizations/{World.Organization.Id}/{path}";

    [Fact]
    public async Task Bad_rules_are_refused_rule_by_rule_and_the_old_policy_stays()
    {
        await World.SendPolicyAsync(new { action = "draft", channel = "email" });

        var response = await World.Deskbridge.Http.PutAsJsonAsync(Api("send-policy"), new object[]
        {
            new { action = "send", channel = "chat" },
            new { action = "publish", channel = "fax", sender = "not a sender", confidenceBelow = 1.5, intent = "gossip", language = "german", hours = "lunch" },
            new { action = "draft", intent = "angry" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.False(errors.ContainsKey("rules[0]"));
        var second = string.Join('\n', errors["rules[1]"]!.AsArray().Select(e => (string?)e));
        foreach (var field in new[] { "action: 'publish'", "channel: unknown channel 'fax'", "sender: 'not a sender'", "confidenceBelow: 1.5", "intent: unknown intent 'gossip'", "language: 'german'", "hours: 'lunch'" })
        {
            Assert.Contains(field, second, StringComparison.Ordinal);
        }
        Assert.Contains("has no answer to draft", (string?)errors["rules[2]"]![0], StringComparison.Ordinal);
        var kept = await World.Deskbridge.Http.GetFromJsonAsync<List<JsonObject>>(Api("send-policy"));
        Assert.Equal("email", (string?)Assert.Single(kept!)["channel"]);
    }

    [Fact]
    public async Task Bad_business_hours_and_handoff_messages_are_refused_naming_the_field()
    {
        var hours = await World.Deskbridge.Http.PutAsJsonAsync(Api("business-hours"), new
        {
            timeZone = "Mars/Olympus",
            weekly = new[] { new { day = "funday", open = "09:00", close = "17:00" }, new { day = "monday", open = "18:00", close = "09:00" } },
            holidays = new[] { "25.12.2026" },
        });
        var message = await World.Deskbridge.Http.PutAsJsonAsync(Api("handoff-message"), new
        {
            texts = new[] { new { language = "english", duringHours = "", outsideHours = "Back soon" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, hours.StatusCode);
        var hourErrors = (await hours.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains("not an IANA time zone", (string?)hourErrors["timeZone"]![0], StringComparison.Ordinal);
        Assert.Contains("'funday' is not a day", (string?)hourErrors["weekly[0]"]![0], StringComparison.Ordinal);
        Assert.Contains("is not after 18:00", (string?)hourErrors["weekly[1]"]![0], StringComparison.Ordinal);
        Assert.Contains("'25.12.2026' is not a date", (string?)hourErrors["holidays[0]"]![0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, message.StatusCode);
        var messageErrors = string.Join('\n', (await message.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["texts[0]"]!.AsArray().Select(e => (string?)e));
        Assert.Contains("language: 'english'", messageErrors, StringComparison.Ordinal);
        Assert.Contains("duringHours:", messageErrors, StringComparison.Ordinal);
        var stored = await World.Deskbridge.Http.GetFromJsonAsync<JsonObject>(Api("business-hours"));
        Assert.False((bool)stored!["configured"]!);
    }
}
