using System.Runtime.CompilerServices;

namespace Deskbridge.Agent.Knowledge.Retrieval;

/// <summary>
/// Finds the passages of a knowledge base for a question: BM25 (Lucene, with the coverage rerank) and, in hybrid mode,
/// cosine similarity of sentence embeddings, fused by reciprocal rank (each list contributes 1/(k + rank)). Rank fusion
/// needs no common scale between BM25 scores and cosines, which have none. Passage vectors are computed once per knowledge
/// base (one batch, looked up first in the <see cref="IEmbeddingStore"/> by content hash) and kept with it. Thread-safe.
/// </summary>
public sealed class KnowledgeRetriever
{
    private readonly IPassageEmbedder? _embedder;
    private readonly IEmbeddingStore _store;
    private readonly ConditionalWeakTable<KnowledgeBase, Lazy<Task<float[][]>>> _passageVectors = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> _questionVectors = new(StringComparer.Ordinal);

    /// <param name="embedder">Null: lexical retrieval only, whatever the options say.</param>
    public KnowledgeRetriever(IPassageEmbedder? embedder, IEmbeddingStore? store = null, RetrievalOptions? options = null)
    {
        Options = options ?? new RetrievalOptions();
        _embedder = Options.Mode == RetrievalMode.Hybrid ? embedder : null;
        _store = store ?? new InMemoryEmbeddingStore();
    }

    /// <summary>BM25 alone.</summary>
    public static KnowledgeRetriever Lexical { get; } = new(null, null, new RetrievalOptions { Mode = RetrievalMode.Lexical });

    public RetrievalOptions Options { get; }

    public RetrievalMode Mode => _embedder is null ? RetrievalMode.Lexical : RetrievalMode.Hybrid;

    /// <summary>The embedding model in use, or null in lexical mode.</summary>
    public string? Model => _embedder?.Model;

    /// <param name="terms">The question's weighted terms (<see cref="KnowledgeBase.ParseQuestion"/>), for BM25.</param>
    /// <param name="queryText">The question as the customer wrote it, for the embedding.</param>
    /// <param name="language">The customer's language (ISO 639-1), or null: articles in it rank higher.</param>
    public async Task<IReadOnlyList<RetrievalHit>> RetrieveAsync(
        KnowledgeBase knowledgeBase,
        IReadOnlyList<QueryTerm> terms,
        string queryText,
        string? language,
        int maxResults,
        double unknownTermWeight,
        CancellationToken cancellationToken)
    {
        if (knowledgeBase.IsEmpty)
        {
            return [];
        }

        var depth = Math.Max(Options.Depth, maxResults);
        var lexical = terms.Count == 0 ? [] : knowledgeBase.Search(terms, depth, unknownTermWeight);
        var candidates = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        for (var i = 0; i < lexical.Count; i++)
        {
            candidates[lexical[i].Passage.Id] = new Candidate(lexical[i].Passage) { Lexical = lexical[i], LexicalRank = i + 1 };
        }

        var sure = _embedder is not null && Options.LexicalFirst && IsLexicallySure(knowledgeBase, lexical, language);
        if (sure)
        {
            Interlocked.Increment(ref _embeddingsSkipped);
        }
        if (_embedder is not null && !sure && !string.IsNullOrWhiteSpace(queryText) && await EmbedAsync(knowledgeBase, queryText, cancellationToken) is var (passageVectors, query))
        {
            var semantic = knowledgeBase.Passages
                .Select((passage, index) => (Passage: passage, Similarity: VectorMath.Cosine(query, passageVectors[index])))
                .OrderByDescending(p => p.Similarity)
                .ThenBy(p => p.Passage.Id, StringComparer.Ordinal)
                .ToList();
            for (var i = 0; i < semantic.Count; i++)
            {
                var (passage, similarity) = semantic[i];
                if (!candidates.TryGetValue(passage.Id, out var candidate))
                {
                    if (i >= depth)
                    {
                        continue;
                    }

                    candidates[passage.Id] = candidate = new Candidate(passage);
                }

                // Every candidate gets its similarity (a BM25 hit deep in the semantic list too), but only the top ranks count in the fusion.
                candidate.Similarity = similarity;
                candidate.SemanticRank = i < depth ? i + 1 : null;
            }
        }

        if (!candidates.Values.Any(c => c.SemanticRank is not null))
        {
            // BM25 alone: its own order (the lexical mode, and a hybrid question without an embedding).
            return [.. candidates.Values.OrderBy(c => c.LexicalRank).Take(maxResults)
                .Select(c => new RetrievalHit(c.Passage, 1.0 / (Options.FusionK + c.LexicalRank!.Value), c.Lexical, c.LexicalRank, c.Similarity, null, false))];
        }

        // Fusion is by article: a question is about an article, and its passages are only chunks of it. Each list ranks the
        // articles by their best passage there; an article's fused score is the sum of 1/(k + its rank) over the lists. Within
        // an article, passages keep the order of their own fused score.
        var k = Options.FusionK;
        var articleScores = new Dictionary<string, double>(StringComparer.Ordinal);
        void AddRanks(IEnumerable<Candidate> list)
        {
            var rank = 0;
            foreach (var articleId in list.Select(c => c.Passage.ArticleId).Distinct(StringComparer.Ordinal))
            {
                rank++;
                articleScores[articleId] = articleScores.GetValueOrDefault(articleId) + (1.0 / (k + rank));
            }
        }

        AddRanks(candidates.Values.Where(c => c.LexicalRank is not null).OrderBy(c => c.LexicalRank));
        AddRanks(candidates.Values.Where(c => c.SemanticRank is not null).OrderBy(c => c.SemanticRank));

        return [.. candidates.Values
            .Select(c =>
            {
                var inLanguage = language is not null && string.Equals(knowledgeBase.Article(c.Passage.ArticleId)?.Language, language, StringComparison.OrdinalIgnoreCase);
                var score = articleScores.GetValueOrDefault(c.Passage.ArticleId) * (inLanguage ? Options.LanguageBoost : 1.0);
                var passageScore = (c.LexicalRank is { } l ? 1.0 / (k + l) : 0) + (c.SemanticRank is { } s ? 1.0 / (k + s) : 0);
                return (Hit: new RetrievalHit(c.Passage, score, c.Lexical, c.LexicalRank, c.Similarity, c.SemanticRank, inLanguage), PassageScore: passageScore);
            })
            .OrderByDescending(h => h.Hit.Score)
            .ThenBy(h => h.Hit.Passage.ArticleId, StringComparer.Ordinal)
            .ThenByDescending(h => h.PassageScore)
            .ThenBy(h => h.Hit.LexicalRank ?? int.MaxValue)
            .ThenBy(h => h.Hit.Passage.Id, StringComparer.Ordinal)
            .Select(h => h.Hit)
            .Take(maxResults)];
    }

    /// <summary>
    /// Lexical first: BM25 is sure of its answer when its best passage carries nearly all of the question's words with a
    /// score clear of the noise floor, and the best passage of any other article scores well below it. Fusion would then
    /// rank the same article first (it leads one list by a margin the other list rarely overturns, see the retrieval
    /// README), so the question's embedding — most of the CPU a hybrid question costs — is not computed. A question in
    /// the customer's language preference (a knowledge base with languages) is always embedded: the boost applies to
    /// the fused ranking only.
    /// </summary>
    private bool IsLexicallySure(KnowledgeBase knowledgeBase, IReadOnlyList<KnowledgeHit> lexical, string? language)
    {
        if (lexical.Count == 0 || language is not null)
        {
            return false;
        }
        var best = lexical[0];
        if (best.Coverage < Options.SureCoverage || best.Score < Options.SureMinScore)
        {
            return false;
        }
        var runnerUp = lexical.FirstOrDefault(h => h.Passage.ArticleId != best.Passage.ArticleId);
        return runnerUp is null || runnerUp.Score <= best.Score * Options.SureMargin;
    }

    /// <summary>Hybrid questions answered by BM25 alone because it was sure (<see cref="RetrievalOptions.LexicalFirst"/>), since start.</summary>
    public long EmbeddingsSkipped => Interlocked.Read(ref _embeddingsSkipped);

    private long _embeddingsSkipped;

    /// <summary>Embedding failures since start (an LLM endpoint down, a store that failed); those questions were answered by BM25 alone.</summary>
    public long EmbeddingFailures => Interlocked.Read(ref _embeddingFailures);

    private long _embeddingFailures;

    /// <summary>The passages' vectors and the question's; null when embedding failed, so that BM25 still answers.</summary>
    private async Task<(float[][] Passages, float[] Query)?> EmbedAsync(KnowledgeBase knowledgeBase, string queryText, CancellationToken cancellationToken)
    {
        try
        {
            var passages = await PassageVectorsAsync(knowledgeBase, cancellationToken);
            return (passages, await QuestionVectorAsync(queryText, cancellationToken));
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _embeddingFailures);
            return null;
        }
    }

    /// <summary>
    /// The question's vector, from the cache when the same text was embedded before: customers ask the same questions in the
    /// same words ("Where is my order?"), and a vector depends on the text alone. The cache is bounded by
    /// <see cref="RetrievalOptions.QuestionCacheSize"/> and simply emptied when full: a few hundred KB, no eviction order to keep.
    /// </summary>
    private async Task<float[]> QuestionVectorAsync(string queryText, CancellationToken cancellationToken)
    {
        if (Options.QuestionCacheSize > 0 && _questionVectors.TryGetValue(queryText, out var cached))
        {
            Interlocked.Increment(ref _questionCacheHits);
            return cached;
        }
        var vector = (await _embedder!.EmbedAsync([queryText], cancellationToken))[0];
        if (Options.QuestionCacheSize > 0)
        {
            if (_questionVectors.Count >= Options.QuestionCacheSize)
            {
                _questionVectors.Clear();
            }
            _questionVectors[queryText] = vector;
        }
        return vector;
    }

    /// <summary>Questions whose vector came from the cache, since start.</summary>
    public long QuestionCacheHits => Interlocked.Read(ref _questionCacheHits);

    private long _questionCacheHits;

    /// <summary>Embeds the knowledge base's passages now (a new or changed knowledge base), rather than on its first question.</summary>
    public Task WarmAsync(KnowledgeBase knowledgeBase, CancellationToken cancellationToken) =>
        _embedder is null || knowledgeBase.IsEmpty ? Task.CompletedTask : PassageVectorsAsync(knowledgeBase, cancellationToken);

    private Task<float[][]> PassageVectorsAsync(KnowledgeBase knowledgeBase, CancellationToken cancellationToken)
    {
        var lazy = _passageVectors.GetValue(knowledgeBase, kb => new Lazy<Task<float[][]>>(() => EmbedPassagesAsync(kb, CancellationToken.None)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed embedding (a store that was down) is tried again by the next question.
            _passageVectors.Remove(knowledgeBase);
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task<float[][]> EmbedPassagesAsync(KnowledgeBase knowledgeBase, CancellationToken cancellationToken)
    {
        var embedder = _embedder!;
        var texts = knowledgeBase.Passages.Select(KnowledgeBase.EmbeddingText).ToList();
        var hashes = texts.Select(VectorMath.ContentHash).ToList();
        var stored = await _store.FindAsync(embedder.Model, hashes.Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var missing = Enumerable.Range(0, texts.Count).Where(i => !stored.ContainsKey(hashes[i])).DistinctBy(i => hashes[i]).ToList();
        var computed = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (missing.Count > 0)
        {
            var vectors = await embedder.EmbedAsync([.. missing.Select(i => texts[i])], cancellationToken);
            for (var j = 0; j < missing.Count; j++)
            {
                computed[hashes[missing[j]]] = vectors[j];
            }

            await _store.SaveAsync(embedder.Model, computed, cancellationToken);
        }

        return [.. hashes.Select(h => stored.TryGetValue(h, out var v) ? v : computed[h])];
    }

    private sealed class Candidate(KnowledgePassage passage)
    {
        public KnowledgePassage Passage { get; } = passage;
        public KnowledgeHit? Lexical { get; init; }
        public int? LexicalRank { get; init; }
        public double? Similarity { get; set; }
        public int? SemanticRank { get; set; }
    }
}
