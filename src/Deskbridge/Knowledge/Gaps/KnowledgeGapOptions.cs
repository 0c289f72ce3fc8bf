namespace Deskbridge.Knowledge.Gaps;

/// <summary>I3: how the knowledge-gaps page groups questions (bound from <c>KnowledgeGaps</c>).</summary>
public sealed class KnowledgeGapOptions
{
    public const string SectionName = "KnowledgeGaps";

    /// <summary>
    /// The cosine between a question's sentence embedding and a group's centroid from which it joins the group. 0.5 is
    /// retrieval's own "answers on meaning alone" level (Retrieval:MinSimilarity) on all-MiniLM-L6-v2; at it the tests'
    /// gift-wrapping and loyalty-program phrasings form exactly their two groups (KnowledgeGapGroupingTests). Not tuned on
    /// real traffic: raise it if unrelated questions share a group, lower it if one topic splits.
    /// </summary>
    public double EmbeddingThreshold { get; set; } = 0.5;

    /// <summary>
    /// The same for TF-IDF vectors of the questions' terms, used when retrieval runs without embeddings. Low, because two
    /// phrasings of one question often share only two words among five or six ("loyalty program … reward points" and
    /// "rewards club … points": 0.27); terms group less well than meaning, which is why embeddings come first.
    /// </summary>
    public double TermThreshold { get; set; } = 0.25;

    /// <summary>Most questions one report reads (the newest of the period); the report says when there were more.</summary>
    public int MaxQuestions { get; set; } = 5000;

    /// <summary>Example questions shown per group (and written into a pre-filled article).</summary>
    public int ExamplesPerGroup { get; set; } = 5;
}
