using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Demo;

/// <summary>The shipped demo articles are the demo organization's seed data: in the database, editable, seeded once.</summary>
public sealed class DemoKnowledgeTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Demo_organization_starts_with_the_shipped_articles_in_the_database_and_a_restart_does_not_bring_back_a_deleted_one()
    {
        var settings = new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Demo:SandboxUrl"] = $"http://127.0.0.1:{FreePort()}" };
        var shipped = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "knowledge", "demo"), "*.md").Length;
        string data;
        JsonNode deleted;
        await using (var host = await DeskbridgeTestHost.StartAsync(settings: settings))
        {
            data = host.DataDirectory;
            var demo = await DemoAsync(host);
            var articles = await Eventually.UntilAsync(() => host.GetJsonAsync<JsonArray>($"api/organizations/{demo}/knowledge/articles"), a => a.Count == shipped,
                what: "the demo's seeded articles");
            Assert.Equal(12, shipped);
            Assert.All(articles, a => Assert.Equal("demo seed", (string?)a!["updatedBy"]));
            Assert.All(articles, a => Assert.Equal("en", (string?)a!["language"]));
            deleted = articles.Single(a => (string?)a!["slug"] == "gift-cards")!;
            (await host.Http.DeleteAsync($"api/organizations/{demo}/knowledge/articles/{(string)deleted["id"]!}")).EnsureSuccessStatusCode();
        }

        settings["Demo:SandboxUrl"] = $"http://127.0.0.1:{FreePort()}";
        await using (var again = await DeskbridgeTestHost.StartAsync(data, settings))
        {
            var demo = await DemoAsync(again);
            // The demo connects again on start (a new API key is logged): once it has, the seed step has run too.
            await Eventually.UntilAsync(() => again.GetJsonAsync<JsonArray>($"api/organizations/{demo}/api-keys"), k => k.Count >= 2, what: "the second start's demo key");
            var articles = await again.GetJsonAsync<JsonArray>($"api/organizations/{demo}/knowledge/articles");
            Assert.Equal(shipped - 1, articles.Count);
            Assert.DoesNotContain(articles, a => (string?)a!["slug"] == "gift-cards");
        }
    }

    private static async Task<string> DemoAsync(DeskbridgeTestHost host)
    {
        var organizations = await Eventually.UntilAsync(() => host.GetJsonAsync<List<DeskbridgeApi.Organization>>("api/organizations"),
            o => o.Any(x => x.Slug == "demo"), what: "the demo organization");
        return organizations.Single(o => o.Slug == "demo").Id.ToString();
    }
}
