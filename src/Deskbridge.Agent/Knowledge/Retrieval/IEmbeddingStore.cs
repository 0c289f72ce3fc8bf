using System.Collections.Concurrent;

namespace Deskbridge.Agent.Knowledge.Retrieval;

/// <summary>
/// Passage embeddings kept by model and content hash (<see cref="VectorMath.ContentHash"/>): a passage is embedded once, and
/// again only when its text changes. Deskbridge keeps them in its database; without one they live in memory.
/// </summary>
public interface IEmbeddingStore
{
    Task<IReadOnlyDictionary<string, float[]>> FindAsync(string model, IReadOnlyCollection<string> contentHashes, CancellationToken cancellationToken);

    Task SaveAsync(string model, IReadOnlyDictionary<string, float[]> vectorsByHash, CancellationToken cancellationToken);
}

/// <summary>The store for a process without a database (tests, tools, the bench): lost at exit, so recomputed at the next start.</summary>
public sealed class InMemoryEmbeddingStore : IEmbeddingStore
{
    private readonly ConcurrentDictionary<(string Model, string Hash), float[]> _vectors = new();

    public int Count => _vectors.Count;

    public Task<IReadOnlyDictionary<string, float[]>> FindAsync(string model, IReadOnlyCollection<string> contentHashes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var hash in contentHashes)
        {
            if (_vectors.TryGetValue((model, hash), out var vector))
            {
                found[hash] = vector;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, float[]>>(found);
    }

    public Task SaveAsync(string model, IReadOnlyDictionary<string, float[]> vectorsByHash, CancellationToken cancellationToken)
    {
        foreach (var (hash, vector) in vectorsByHash)
        {
            _vectors[(model, hash)] = vector;
        }

        return Task.CompletedTask;
    }
}
