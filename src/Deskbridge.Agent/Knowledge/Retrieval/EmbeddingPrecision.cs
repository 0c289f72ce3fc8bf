namespace Deskbridge.Agent.Knowledge.Retrieval;

/// <summary>How <see cref="MiniLmPassageEmbedder"/> holds the model's weights.</summary>
public enum EmbeddingPrecision
{
    /// <summary>8-bit weights, rewritten from the shipped model at first load (<see cref="Int8ModelRewriter"/>).</summary>
    Quantized,

    /// <summary>The package's fp32 model as shipped (87 MB of weights).</summary>
    Original,
}
