using Deskbridge.Agent.Knowledge;

namespace Deskbridge.Agent.Embedded;

/// <summary>Settings of the embedded (offline, knowledge-base) agent.</summary>
public sealed class EmbeddedAgentOptions
{
    public const string SectionName = "EmbeddedAgent";

    /// <summary>Folder holding one sub-folder of articles per knowledge base key.</summary>
    public string KnowledgeRoot { get; set; } = KnowledgeBaseCatalog.DefaultRoot;

    // Defaults calibrated on the labelled demo set (tests/Deskbridge.Agent.Tests/Evaluation).

    /// <summary>Lowest BM25 score of the best passage that can be answered from (a noise floor).</summary>
    public double MinScore { get; set; } = 2.0;

    /// <summary>
    /// Lowest share of the question (content words weighted by idf; words the knowledge base never
    /// uses weigh <see cref="UnknownTermWeight"/>; a synonym counts less than the customer's own word)
    /// that the best passage must contain.
    /// </summary>
    public double MinCoverage { get; set; } = 0.45;

    /// <summary>Weight (share of the highest idf) of a question word the knowledge base never uses, for coverage.</summary>
    public double UnknownTermWeight { get; set; } = 0.6;

    /// <summary>Most knowledge sources quoted in one answer.</summary>
    public int MaxSources { get; set; } = 2;

    /// <summary>A further source is quoted only when its score is at least this share of the best one.</summary>
    public double SecondarySourceMinRatio { get; set; } = 0.85;

    /// <summary>Most sentences quoted from one passage.</summary>
    public int MaxQuoteSentences { get; set; } = 3;

    /// <summary>A last message with fewer content words than this is read with the previous customer message.</summary>
    public int ShortMessageTermCount { get; set; } = 2;

    /// <summary>Weight of the previous customer message's words when the last message is short.</summary>
    public double ContextWeight { get; set; } = 0.5;
}
