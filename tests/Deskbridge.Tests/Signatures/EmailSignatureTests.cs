using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Signatures;

/// <summary>S7 end to end: signatures saved through the admin API, appended to email replies from the inbox's domain.</summary>
public sealed class EmailSignatureTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ConnectedWorld World => fixture.World;

    private string Path => $"api/organizations/{World.Organization.Id}/signatures";

    [Fact]
    public async Task Email_replies_carry_the_signature_of_the_inbox_domain_and_chat_replies_do_not()
    {
        // The sandbox inbox sends from support@demo-shop.example.
        (await World.Deskbridge.Http.PutAsJsonAsync(Path, new { domainPattern = "*.example", html = "<p>Wildcard team</p>" })).EnsureSuccessStatusCode();
        var saved = await (await World.Deskbridge.Http.PutAsJsonAsync(Path, new
        {
            domainPattern = "Demo-Shop.example",
            html = "<p>Demo Shop support<br><i>We ship in 2 to 4 days</i><script>alert(1)</script></p>",
        })).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("demo-shop.example", (string?)saved!["domainPattern"]);
        Assert.DoesNotContain("script", (string?)saved["html"], StringComparison.Ordinal);

        var before = await World.RequestSequenceAsync();
        var first = await World.CustomerWritesAsync("How do I reset my password?", channel: "email", subject: "Password");
        var chat = await World.CustomerWritesAsync("How long does shipping take?");
        await World.SettledEventsAsync(first.ThreadId, atLeast: 3);
        var second = await World.CustomerWritesAsync("How long does shipping take?", channel: "email", subject: "Shipping");
        await World.SettledEventsAsync(second.ThreadId, atLeast: 3);
        await World.SettledEventsAsync(chat.ThreadId, atLeast: 3);

        foreach (var thread in new[] { first.ThreadId, second.ThreadId })
        {
            var reply = Assert.Single(await World.MessagesFromAsync(thread, World.AiActor));
            var richText = (string)reply["richText"]!;
            var text = (string)reply["text"]!;
            Assert.EndsWith("Demo Shop support\nWe ship in 2 to 4 days", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Wildcard team", text, StringComparison.Ordinal);
            var signatureAt = richText.IndexOf("<i>We ship in 2 to 4 days</i>", StringComparison.Ordinal);
            Assert.InRange(signatureAt, 1, richText.IndexOf("<!-- OpenCX-AI-Response -->", StringComparison.Ordinal));
        }
        var chatReply = Assert.Single(await World.MessagesFromAsync(chat.ThreadId, World.AiActor));
        Assert.DoesNotContain("Demo Shop support", (string?)chatReply["text"], StringComparison.Ordinal);

        // The sending address is read from HubSpot once, then cached.
        var calls = await World.RequestsSinceAsync(before);
        Assert.Single(calls, c => c.Path.Contains("/channel-accounts/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rejects_a_pattern_that_is_not_a_domain_and_deletes_by_id()
    {
        var bad = await World.Deskbridge.Http.PutAsJsonAsync(Path, new { domainPattern = "support@open.cx", html = "<p>x</p>" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("without the part before @", (string?)problem!["errors"]!["domainPattern"]![0], StringComparison.Ordinal);

        var onlyScript = await World.Deskbridge.Http.PutAsJsonAsync(Path, new { domainPattern = "open.cx", html = "<script>alert(1)</script>" });
        Assert.Equal(HttpStatusCode.BadRequest, onlyScript.StatusCode);

        var saved = await (await World.Deskbridge.Http.PutAsJsonAsync(Path, new { domainPattern = "*.co.uk", html = "<p>UK</p>" })).Content.ReadFromJsonAsync<JsonObject>();
        var id = (string)saved!["id"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await World.Deskbridge.Http.DeleteAsync($"{Path}/{id}")).StatusCode);
        var list = await World.Deskbridge.GetJsonAsync<JsonArray>(Path);
        Assert.DoesNotContain(list, s => (string?)s!["id"] == id);
        Assert.Equal(HttpStatusCode.NotFound, (await World.Deskbridge.Http.DeleteAsync($"{Path}/{id}")).StatusCode);
    }
}
