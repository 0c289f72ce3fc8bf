namespace Deskbridge.Agent.Knowledge.Retrieval;

public enum RetrievalMode
{
    /// <summary>Lucene BM25 alone (with the coverage rerank): words must match.</summary>
    Lexical,

    /// <summary>BM25 and sentence-embedding similarity, fused by reciprocal rank: paraphrases match too.</summary>
    Hybrid,
}

/// <summary>How passages are found, for the embedded and the LLM agent alike; bound from <c>Retrieval</c>.</summary>
public sealed class RetrievalOptions
{
    public const string SectionName = "Retrieval";

    public RetrievalMode Mode { get; set; } = RetrievalMode.Hybrid;

    /// <summary>Reciprocal rank fusion's k: 1/(k + rank) per list. 60 is the value of the original paper (Cormack et al., 2009).</summary>
    public int FusionK { get; set; } = 60;

    /// <summary>How deep each list (BM25, embeddings) goes into the fusion.</summary>
    public int Depth { get; set; } = 8;

    // Calibrated on demo-eval-set.json only; measured on retrieval-test-set.json (tests/Deskbridge.Agent.Tests/Evaluation).

    /// <summary>
    /// Lowest cosine similarity between the question and the best passage at which the passage answers it on meaning alone
    /// (when its words do not make the lexical thresholds).
    /// </summary>
    public double MinSimilarity { get; set; } = 0.5;

    /// <summary>
    /// A passage that meets the lexical thresholds is still not answered from when its meaning is further than this from the
    /// question. Off (0) by default: the shipped model reads a misspelt word as an unknown one ("discont code" scores 0.16
    /// against the discount article), so a veto from it would undo what the typo correction of BM25 found.
    /// </summary>
    public double MinLexicalSimilarity { get; set; }

    /// <summary>
    /// Hybrid mode embeds a question only when BM25 is not sure of it (<see cref="SureCoverage"/>, <see cref="SureMinScore"/>,
    /// <see cref="SureMargin"/>): the embedding is most of a hybrid question's CPU. False embeds every question.
    /// </summary>
    public bool LexicalFirst { get; set; } = true;

    /// <summary>Lexical first: the least share of the question's words (idf-weighted) BM25's best passage must carry.</summary>
    public double SureCoverage { get; set; } = 0.9;

    /// <summary>Lexical first: the least BM25 score of the best passage (the embedded agent's own noise floor, MinScore, is 2).</summary>
    public double SureMinScore { get; set; } = 2.0;

    /// <summary>Lexical first: the best passage of any other article scores at most this share of the best one.</summary>
    public double SureMargin { get; set; } = 0.75;

    /// <summary>Question vectors kept for questions asked again in the same words (1.5 KB each); 0 embeds every question.</summary>
    public int QuestionCacheSize { get; set; } = 1024;

    /// <summary>Fused score multiplier for a passage whose article is in the customer's language.</summary>
    public double LanguageBoost { get; set; } = 1.3;
}
