using Deskbridge.Agent.Knowledge;
using Deskbridge.Agent.Knowledge.Retrieval;
using Deskbridge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Tests.Agents;

/// <summary>Passage embeddings in the database, on both providers: found by model and content hash, stored once.</summary>
public sealed class PassageEmbeddingStoreTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Stores_each_vector_once_by_model_and_content_hash_and_keeps_models_apart(string provider)
    {
        await using var host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Storage:Provider"] = provider });
        var store = host.Services.GetRequiredService<IEmbeddingStore>();
        var vector = new[] { 0.6f, 0.8f, 0f };

        await store.SaveAsync("model-a", new Dictionary<string, float[]> { ["h1"] = vector }, CancellationToken.None);
        // Saved again (another instance, or a race): no error, still one row.
        await store.SaveAsync("model-a", new Dictionary<string, float[]> { ["h1"] = vector, ["h2"] = [1f, 0f, 0f] }, CancellationToken.None);

        var found = await store.FindAsync("model-a", ["h1", "h2", "h3"], CancellationToken.None);
        Assert.Equal(vector, found["h1"]);
        Assert.Equal(2, found.Count);
        Assert.Empty(await store.FindAsync("model-b", ["h1"], CancellationToken.None));
    }

    [Fact]
    public async Task The_hybrid_retriever_reads_the_vectors_a_previous_run_stored()
    {
        var data = DeskbridgeTestHost.NewDataDirectory();
        var knowledgeBase = KnowledgeBase.Load("demo", System.IO.Path.Combine(KnowledgeBaseCatalog.DefaultRoot, "demo"));
        int stored;
        await using (var first = await DeskbridgeTestHost.StartAsync(data))
        {
            await first.Services.GetRequiredService<KnowledgeRetriever>().WarmAsync(knowledgeBase, CancellationToken.None);
            var hashes = knowledgeBase.Passages.Select(p => HashOf(KnowledgeBase.EmbeddingText(p))).ToList();
            stored = (await first.Services.GetRequiredService<IEmbeddingStore>().FindAsync(MiniLmPassageEmbedder.ModelName, hashes, CancellationToken.None)).Count;
        }

        Assert.Equal(knowledgeBase.Passages.Select(p => KnowledgeBase.EmbeddingText(p)).Distinct().Count(), stored);
        await using var second = await DeskbridgeTestHost.StartAsync(data);
        var found = await second.Services.GetRequiredService<IEmbeddingStore>().FindAsync(MiniLmPassageEmbedder.ModelName,
            knowledgeBase.Passages.Select(p => HashOf(KnowledgeBase.EmbeddingText(p))).ToList(), CancellationToken.None);
        Assert.Equal(stored, found.Count);
    }

    private static string HashOf(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
