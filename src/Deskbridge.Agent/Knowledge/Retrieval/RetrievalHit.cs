namespace Deskbridge.Agent.Knowledge.Retrieval;

/// <summary>
/// A passage found for a question: its fused score and what each retriever said of it. <see cref="Lexical"/> is BM25's hit
/// (score, coverage, matched and missing words) when BM25 found the passage, <see cref="Similarity"/> the cosine between the
/// question's and the passage's embeddings (null in lexical mode). Ranks start at 1.
/// </summary>
public sealed record RetrievalHit(
    KnowledgePassage Passage,
    double Score,
    KnowledgeHit? Lexical,
    int? LexicalRank,
    double? Similarity,
    int? SemanticRank,
    bool InCustomerLanguage);
