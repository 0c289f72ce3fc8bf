using Deskbridge.Agent.Knowledge.Retrieval;
using Microsoft.Extensions.AI;

namespace Deskbridge.Llm;

/// <summary>
/// The LLM endpoint's embedding model (Llm:EmbeddingModel) as the passage embedder, through Microsoft.Extensions.AI's
/// <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>. Its vectors are stored under their own model name, so switching
/// models recomputes them rather than mixing two spaces.
/// </summary>
public sealed class EmbeddingGeneratorPassageEmbedder(IEmbeddingGenerator<string, Embedding<float>> generator, string model) : IPassageEmbedder
{
    public string Model { get; } = "llm:" + model;

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        if (embeddings.Count != texts.Count)
        {
            throw new InvalidOperationException($"The embedding model returned {embeddings.Count} vectors for {texts.Count} texts.");
        }

        return [.. embeddings.Select(e =>
        {
            var vector = e.Vector.ToArray();
            VectorMath.Normalize(vector);
            return vector;
        })];
    }
}
