using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Knowledge;

/// <summary>Retrieval without embeddings (Retrieval:Mode Lexical).</summary>
public sealed class LexicalWorldFixture : WorldFixture
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Retrieval:Mode"] = "Lexical" };
}

/// <summary>I3 without an embedding model: the same questions group on their terms (TF-IDF), with no vector stored.</summary>
public sealed class KnowledgeGapTermGroupingTests(LexicalWorldFixture fixture) : IClassFixture<LexicalWorldFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public async Task Without_embeddings_questions_group_on_their_terms()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        var asked = new List<ConnectedWorld.Written>();
        foreach (var question in KnowledgeGapGroupingTests.GiftWrapping.Concat(KnowledgeGapGroupingTests.Loyalty))
        {
            asked.Add(await World.CustomerWritesAsync(question));
        }
        foreach (var written in asked)
        {
            var events = await World.SettledEventsAsync(written.ThreadId, atLeast: 3);
            Assert.Contains("(LowConfidence)", events.Single(e => e.MessageId == written.MessageId).Reason, StringComparison.Ordinal);
        }

        var report = await World.Deskbridge.GetJsonAsync<JsonObject>(
            $"api/organizations/{World.Organization.Id}/knowledge-gaps?from={Uri.EscapeDataString(since.ToString("O"))}");

        Assert.Equal("terms (TF-IDF)", (string?)report["method"]);
        var groups = report["groups"]!.AsArray().Select(g => g!.AsObject()).ToList();
        Assert.True(groups.Count == 2, report.ToJsonString());
        Assert.Equal([3, 2], groups.Select(g => (int)g["count"]!));
        Assert.Equal(KnowledgeGapGroupingTests.GiftWrapping.Order(), groups[0]["examples"]!.AsArray().Select(e => (string)e!["text"]!).Order());
    }
}
