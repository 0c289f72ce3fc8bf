using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Agent.Knowledge;
using Deskbridge.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Deskbridge.Tests.Knowledge;

/// <summary>An article change is what the agent answers from within seconds, without a restart, on this instance and on others.</summary>
public sealed class LiveKnowledgeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Customer_on_the_sandbox_is_answered_from_an_article_added_a_moment_ago()
    {
        await using var world = await ConnectedWorld.StartAsync();
        var articles = $"api/organizations/{world.Organization.Id}/knowledge/articles";

        var before = await world.CustomerWritesAsync("Can I bring my dog into your store?");
        await world.SettledEventsAsync(before.ThreadId, atLeast: 2);
        OnlyTheHandoffNotice(await world.MessagesFromAsync(before.ThreadId, world.AiActor)); // handed off: no article says it

        var saved = Stopwatch.StartNew();
        (await world.Deskbridge.Http.PostAsJsonAsync(articles, new
        {
            title = "Dogs in our stores",
            markdown = "Dogs are welcome in all our stores, as long as they stay on a lead. Water bowls are at the entrance.",
        })).EnsureSuccessStatusCode();
        var after = await world.CustomerWritesAsync("Can I bring my dog into your store?");
        var reply = await Eventually.UntilAsync(() => world.MessagesFromAsync(after.ThreadId, world.AiActor), m => m.Count > 0,
            TimeSpan.FromSeconds(15), "the AI's reply from the new article");
        output.WriteLine($"article saved → AI reply on the sandbox: {saved.Elapsed.TotalSeconds:0.00} s");
        Assert.Contains("Dogs are welcome in all our stores", (string?)reply[0]["text"], StringComparison.Ordinal);

        // The shipped files were copied in on that first change, so the agent still knows them.
        var list = await world.Deskbridge.GetJsonAsync<JsonArray>(articles);
        Assert.Contains(list, a => (string?)a!["slug"] == "shipping-times-and-costs" && (string?)a["source"] == "File");
        var shipping = await world.CustomerWritesAsync("How long does shipping take?");
        await Eventually.UntilAsync(() => world.MessagesFromAsync(shipping.ThreadId, world.AiActor), m => m.Count > 0, TimeSpan.FromSeconds(15));

        // Deleted: the next customer is handed off again.
        var dogs = list.Single(a => (string?)a!["slug"] == "dogs-in-our-stores")!;
        (await world.Deskbridge.Http.DeleteAsync($"{articles}/{(string)dogs["id"]!}")).EnsureSuccessStatusCode();
        var deleted = await world.CustomerWritesAsync("Can I bring my dog into your store?");
        await world.SettledEventsAsync(deleted.ThreadId, atLeast: 2);
        OnlyTheHandoffNotice(await world.MessagesFromAsync(deleted.ThreadId, world.AiActor));
    }

    /// <summary>A handed-off chat customer hears from the AI user once: the notice that a colleague will reply (G6), no answer.</summary>
    private static void OnlyTheHandoffNotice(IReadOnlyList<JsonObject> fromAi) =>
        Assert.All(fromAi, m => Assert.Contains("A colleague will reply", (string?)m["text"], StringComparison.Ordinal));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_article_changed_through_one_instance_is_in_the_other_instances_index_within_seconds(string storage)
    {
        await using var database = storage == "postgres" ? await PostgresTestDatabase.CreateAsync() : null;
        var shared = database?.Settings() ?? [];
        await using var first = await DeskbridgeTestHost.StartAsync(settings: shared);
        await using var second = await DeskbridgeTestHost.StartAsync(first.DataDirectory,
            new Dictionary<string, string?>(shared) { ["Processing:Enabled"] = "false" });
        var organization = await first.CreateOrganizationAsync("Two Instances", "two-instances");
        var catalog = first.Services.GetRequiredService<KnowledgeBaseCatalog>();
        Assert.True(catalog.Get("two-instances").IsEmpty); // cached now, on the first instance

        var articles = $"api/organizations/{organization.Id}/knowledge/articles";
        var watch = Stopwatch.StartNew();
        var created = await (await second.Http.PostAsJsonAsync(articles, new { title = "Parking", markdown = "Free parking behind the shop." })).Content.ReadFromJsonAsync<JsonObject>();
        await Eventually.UntilAsync(() => Task.FromResult(catalog.Get("two-instances")), kb => kb.Search("parking").Count > 0, TimeSpan.FromSeconds(10),
            "the first instance to index the article saved on the second");
        output.WriteLine($"{storage}: added on one instance → in the other's index after {watch.Elapsed.TotalSeconds:0.00} s");
        // The revision is read every 2 s; the rest is the index rebuild and a busy shared machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}");

        (await second.Http.PutAsJsonAsync($"{articles}/{(string)created!["id"]!}", new { title = "Parking", markdown = "Parking is in the garage on King Street." })).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(() => Task.FromResult(catalog.Get("two-instances")), kb => kb.Search("garage").Count > 0 && kb.Search("behind").Count == 0,
            TimeSpan.FromSeconds(10), "the first instance to index the edit");
        var article = Assert.Single(catalog.Get("two-instances").Articles);
        Assert.Equal("en", article.Language);

        (await second.Http.DeleteAsync($"{articles}/{(string)created["id"]!}")).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(() => Task.FromResult(catalog.Get("two-instances")), kb => kb.IsEmpty, TimeSpan.FromSeconds(10), "the delete");
    }
}
