using System.Net;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Tests.Knowledge;

/// <summary>
/// I3 end to end: customers write through the sandbox, the demo knowledge cannot answer some of them, and the gaps report
/// groups exactly those by topic. The grouping runs on the shipped embedding model (the default hybrid retrieval). Its own
/// world, so no other test's question falls into the period.
/// </summary>
public sealed class KnowledgeGapGroupingTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    internal static readonly string[] GiftWrapping =
    [
        "Do you offer gift wrapping for presents?",
        "Can you wrap my order as a gift before shipping it?",
        "Is gift wrap possible, with a handwritten note inside the wrapped present?",
    ];

    internal static readonly string[] Loyalty =
    [
        "Do you have a loyalty program where I collect reward points?",
        "How do I join your rewards club to earn points on purchases?",
    ];

    private ConnectedWorld World => fixture.World;

    [Fact]
    public async Task Groups_questions_the_ai_could_not_answer_by_topic_with_counts_and_examples()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        var asked = new List<ConnectedWorld.Written>();
        foreach (var question in GiftWrapping.Concat(Loyalty))
        {
            asked.Add(await World.CustomerWritesAsync(question));
        }
        var answered = await World.CustomerWritesAsync("How long does shipping take?");
        foreach (var written in asked)
        {
            var events = await World.SettledEventsAsync(written.ThreadId, atLeast: 3);
            Assert.Contains("(LowConfidence)", events.Single(e => e.MessageId == written.MessageId).Reason, StringComparison.Ordinal);
        }
        var answer = (await World.SettledEventsAsync(answered.ThreadId, atLeast: 3)).Single(e => e.MessageId == answered.MessageId);
        Assert.Contains("Replied on thread", answer.Reason, StringComparison.Ordinal);

        var report = await World.Deskbridge.GetJsonAsync<JsonObject>(
            $"api/organizations/{World.Organization.Id}/knowledge-gaps?from={Uri.EscapeDataString(since.ToString("O"))}");

        Assert.StartsWith("embeddings (all-MiniLM-L6-v2", (string?)report["method"], StringComparison.Ordinal);
        Assert.True(5 == (int)report["questions"]!, report.ToJsonString());
        var groups = report["groups"]!.AsArray().Select(g => g!.AsObject()).ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal(3, (int)groups[0]["count"]!);
        Assert.Equal(2, (int)groups[1]["count"]!);
        Assert.Equal(GiftWrapping.Order(), Texts(groups[0]).Order());
        Assert.Equal(Loyalty.Order(), Texts(groups[1]).Order());
        Assert.Contains("gift", ((string?)groups[0]["suggestedTitle"])!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(report.ToJsonString(), "How long does shipping take?", StringComparison.Ordinal);
        // English, or unknown where one short question was too short to tell; never a wrong guess.
        Assert.All(groups.SelectMany(g => g["examples"]!.AsArray()), e => Assert.True((string?)e!["language"] is "en" or null, e.ToJsonString()));
        Assert.Contains(groups.SelectMany(g => g["examples"]!.AsArray()), e => (string?)e!["language"] == "en");
    }

    private static IEnumerable<string> Texts(JsonObject group) => group["examples"]!.AsArray().Select(e => (string)e!["text"]!);
}
