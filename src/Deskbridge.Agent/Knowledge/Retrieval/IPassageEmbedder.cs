namespace Deskbridge.Agent.Knowledge.Retrieval;

/// <summary>
/// Turns texts into sentence embeddings. The default runs a small model shipped in a package (<see cref="MiniLmPassageEmbedder"/>);
/// with an LLM endpoint configured, its embedding model can stand in (Deskbridge.Llm's adapter over IEmbeddingGenerator).
/// </summary>
public interface IPassageEmbedder
{
    /// <summary>Names the model, so stored vectors of another model (or another version of it) are never mixed in.</summary>
    string Model { get; }

    /// <summary>One vector per text, in order, each of unit length (so a dot product is the cosine).</summary>
    Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
