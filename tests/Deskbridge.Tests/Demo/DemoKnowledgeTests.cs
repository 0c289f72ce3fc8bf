using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Deskbridge.Demo;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

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
    public async Task Demo_organization_starts_with_the_shipped_articles_in_the_database_and_seeding_again_does_not_bring_back_a_deleted_one()
    {
        var settings = new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Demo:SandboxUrl"] = $"http://127.0.0.1:{FreePort()}" };
        var shipped = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "knowledge", "demo"), "*.md").Length;
        await using var host = await DeskbridgeTestHost.StartAsync(settings: settings);
        var demo = await DemoAsync(host);
        var articles = await Eventually.UntilAsync(() => host.GetJsonAsync<JsonArray>($"api/organizations/{demo}/knowledge/articles"), a => a.Count == shipped,
            what: "the demo's seeded articles");
        Assert.Equal(12, shipped);
        Assert.All(articles, a => Assert.Equal(DemoKnowledge.SeededBy, (string?)a!["updatedBy"]));
        Assert.All(articles, a => Assert.Equal("en", (string?)a!["language"]));
        var giftCards = articles.Single(a => (string?)a!["slug"] == "gift-cards")!;
        (await host.Http.DeleteAsync($"api/organizations/{demo}/knowledge/articles/{(string)giftCards["id"]!}")).EnsureSuccessStatusCode();

        // What the demo runs on every start: the organization's knowledge is its own now, so nothing is copied again.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
            var organization = await db.Organizations.SingleAsync(o => o.Slug == "demo");
            await DemoKnowledge.SeedAsync(scope.ServiceProvider, organization, NullLogger.Instance, CancellationToken.None);
        }
        var after = await host.GetJsonAsync<JsonArray>($"api/organizations/{demo}/knowledge/articles");
        Assert.Equal(shipped - 1, after.Count);
        Assert.DoesNotContain(after, a => (string?)a!["slug"] == "gift-cards");
    }

    private static async Task<string> DemoAsync(DeskbridgeTestHost host)
    {
        var organizations = await Eventually.UntilAsync(() => host.GetJsonAsync<List<DeskbridgeApi.Organization>>("api/organizations"),
            o => o.Any(x => x.Slug == "demo"), what: "the demo organization");
        return organizations.Single(o => o.Slug == "demo").Id.ToString();
    }
}
