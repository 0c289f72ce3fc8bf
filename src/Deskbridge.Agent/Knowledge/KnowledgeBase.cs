using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;

namespace Deskbridge.Agent.Knowledge;

/// <summary>
/// A question term with its weight (1 for the message being answered, less for earlier context) and
/// the help-center words that mean the same (matched at a lower weight; any of them covers the term).
/// </summary>
public sealed record QueryTerm(string Term, double Weight, IReadOnlyList<string> Alternatives)
{
    public QueryTerm(string term, double weight)
        : this(term, weight, [])
    {
    }

    public IEnumerable<string> Variants => Alternatives.Prepend(Term);
}

/// <summary>
/// An organization's knowledge base: its articles split into passages and indexed in memory with
/// Lucene (BM25, English analysis). Immutable once built, safe to search from many threads.
/// </summary>
public sealed class KnowledgeBase
{
    private const string IdField = "id";
    private const string TitleField = "title";
    private const string BodyField = "body";
    private const float TitleBoost = 1.5f;
    private const int RerankDepth = 8;

    private readonly IndexSearcher? _searcher;
    private readonly Dictionary<string, KnowledgePassage> _passagesById;
    private readonly Dictionary<string, HashSet<string>> _termsByPassage;
    private readonly Dictionary<string, int> _documentFrequency;
    private readonly Dictionary<string, KnowledgeArticle> _articlesById;

    private KnowledgeBase(string key, IReadOnlyList<KnowledgeArticle> articles)
    {
        Key = key;
        Articles = articles;
        Passages = [.. articles.SelectMany(a => a.Passages)];
        _passagesById = Passages.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _articlesById = articles.DistinctBy(a => a.Id).ToDictionary(a => a.Id, StringComparer.Ordinal);
        _termsByPassage = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        _documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);

        foreach (var passage in Passages)
        {
            var terms = new HashSet<string>(EnglishTerms.Analyze(TitleText(passage)), StringComparer.Ordinal);
            terms.UnionWith(EnglishTerms.Analyze(passage.Text));
            _termsByPassage[passage.Id] = terms;
            foreach (var term in terms)
            {
                _documentFrequency[term] = _documentFrequency.GetValueOrDefault(term) + 1;
            }
        }

        if (Passages.Count == 0)
        {
            return;
        }

        var directory = new RAMDirectory();
        var config = new IndexWriterConfig(EnglishTerms.Version, EnglishTerms.Analyzer)
        {
            Similarity = new BM25Similarity(),
            OpenMode = OpenMode.CREATE,
        };
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (var passage in Passages)
            {
                writer.AddDocument(new Document
                {
                    new StringField(IdField, passage.Id, Field.Store.YES),
                    new TextField(TitleField, TitleText(passage), Field.Store.NO),
                    new TextField(BodyField, passage.Text, Field.Store.NO),
                });
            }

            writer.Commit();
        }

        _searcher = new IndexSearcher(DirectoryReader.Open(directory)) { Similarity = new BM25Similarity() };
    }

    public string Key { get; }

    public IReadOnlyList<KnowledgeArticle> Articles { get; }

    public IReadOnlyList<KnowledgePassage> Passages { get; }

    public bool IsEmpty => Passages.Count == 0;

    public KnowledgeArticle? Article(string articleId) => _articlesById.GetValueOrDefault(articleId);

    /// <summary>Whether any article says which language it is in (only then is the customer's language worth detecting).</summary>
    public bool HasLanguages => Articles.Any(a => a.Language is not null);

    /// <summary>What a passage's embedding is computed from: where it sits (title, heading) and what it says.</summary>
    public static string EmbeddingText(KnowledgePassage passage) => $"{TitleText(passage)}\n{passage.Text}";

    public static KnowledgeBase FromArticles(string key, IEnumerable<KnowledgeArticle> articles) =>
        new(key, [.. articles.OrderBy(a => a.Id, StringComparer.Ordinal)]);

    /// <summary>Loads every *.md and *.txt file of a folder (none if the folder does not exist).</summary>
    public static KnowledgeBase Load(string key, string folder) =>
        FromArticles(key, ArticleFiles(folder).Select(KnowledgeArticle.Load));

    internal static IEnumerable<string> ArticleFiles(string folder) =>
        System.IO.Directory.Exists(folder)
            ? System.IO.Directory.EnumerateFiles(folder)
                .Where(f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
            : [];

    /// <summary>Analyzes a question into weighted index terms, correcting typos against the vocabulary.</summary>
    public IReadOnlyList<QueryTerm> ParseQuestion(string text, double weight = 1.0)
    {
        var expansions = CustomerVocabulary.Expand(TextNormalizer.Normalize(text)).ToList();
        var terms = new List<QueryTerm>();
        foreach (var raw in EnglishTerms.Analyze(text))
        {
            var term = Correct(raw);
            if (terms.Exists(t => t.Term == term))
            {
                continue;
            }

            var alternatives = expansions
                .Where(e => e.CustomerTerms.Contains(raw))
                .SelectMany(e => e.HelpCenterTerms)
                .Where(a => a != term)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            terms.Add(new QueryTerm(term, weight, alternatives));
        }

        // Phrases made only of stop words ("where is my order" minus "order", "get it") still say something.
        foreach (var expansion in expansions.Where(e => e.CustomerTerms.Count == 0))
        {
            foreach (var helpCenterTerm in expansion.HelpCenterTerms)
            {
                if (!terms.Exists(t => t.Variants.Contains(helpCenterTerm)))
                {
                    terms.Add(new QueryTerm(helpCenterTerm, weight * AlternativeWeight));
                }
            }
        }

        return terms;
    }

    /// <summary>Weight of a help-center synonym relative to the customer's own word.</summary>
    public const double AlternativeWeight = 0.7;


    public IReadOnlyList<KnowledgeHit> Search(string question, int maxResults = 3) => Search(ParseQuestion(question), maxResults);

    /// <summary>
    /// The best passages for the terms, best first (ties by passage id, so results are deterministic).
    /// Coverage weighs each term by idf; a word the knowledge base never uses weighs
    /// <paramref name="unknownTermWeight"/> times the highest idf.
    /// </summary>
    public IReadOnlyList<KnowledgeHit> Search(IReadOnlyList<QueryTerm> terms, int maxResults = 3, double unknownTermWeight = 1.0)
    {
        if (_searcher is null || terms.Count == 0)
        {
            return [];
        }

        var query = new BooleanQuery();
        foreach (var term in terms)
        {
            foreach (var variant in term.Variants)
            {
                var boost = (float)(term.Weight * (variant == term.Term ? 1.0 : AlternativeWeight));
                query.Add(new TermQuery(new Term(BodyField, variant)) { Boost = boost }, Occur.SHOULD);
                query.Add(new TermQuery(new Term(TitleField, variant)) { Boost = boost * TitleBoost }, Occur.SHOULD);
            }
        }

        // BM25 finds candidates; among them, passages that cover more of the question rank first.
        var top = _searcher.Search(query, Math.Max(maxResults, RerankDepth));
        var hits = new List<KnowledgeHit>(top.ScoreDocs.Length);
        foreach (var scoreDoc in top.ScoreDocs)
        {
            var id = _searcher.Doc(scoreDoc.Doc).Get(IdField);
            var passage = _passagesById[id];
            var passageTerms = _termsByPassage[id];
            double covered = 0, total = 0;
            var matched = new List<string>();
            var missing = new List<string>();
            foreach (var term in terms)
            {
                var w = term.Weight * CoverageWeight(term, unknownTermWeight);
                total += w;
                if (passageTerms.Contains(term.Term))
                {
                    covered += w;
                    matched.Add(term.Term);
                }
                else if (term.Alternatives.Any(passageTerms.Contains))
                {
                    // A synonym is weaker evidence than the customer's own word.
                    covered += w * AlternativeWeight;
                    matched.Add(term.Term);
                }
                else
                {
                    missing.Add(term.Term);
                }
            }

            hits.Add(new KnowledgeHit(passage, scoreDoc.Score, total > 0 ? covered / total : 0, matched, missing));
        }

        return [.. hits
            .OrderByDescending(h => h.Score * (0.5 + (0.5 * h.Coverage)))
            .ThenBy(h => h.Passage.Id, StringComparer.Ordinal)
            .Take(maxResults)];
    }

    /// <summary>BM25's idf over passages; a term the knowledge base never uses gets the highest weight.</summary>
    public double InverseDocumentFrequency(string term)
    {
        var n = Math.Max(Passages.Count, 1);
        var df = _documentFrequency.GetValueOrDefault(term);
        return Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
    }

    /// <summary>How much a question term counts for coverage: the idf of its most specific known variant.</summary>
    private double CoverageWeight(QueryTerm term, double unknownTermWeight)
    {
        var known = term.Variants.Where(_documentFrequency.ContainsKey).ToList();
        return known.Count > 0
            ? known.Max(InverseDocumentFrequency)
            : unknownTermWeight * InverseDocumentFrequency(term.Term);
    }

    internal bool Contains(string term) => _documentFrequency.ContainsKey(term);

    /// <summary>An unknown term of 5+ letters becomes the most frequent vocabulary term one edit away with the same first letter.</summary>
    private string Correct(string term)
    {
        if (term.Length < 5 || _documentFrequency.ContainsKey(term) || !char.IsLetter(term[0]))
        {
            return term;
        }

        string? best = null;
        var bestFrequency = 0;
        foreach (var (candidate, frequency) in _documentFrequency)
        {
            if (candidate.Length < 4 || candidate[0] != term[0] || frequency < bestFrequency)
            {
                continue;
            }

            if (TextNormalizer.EditDistance(term, candidate, 1) <= 1
                && (frequency > bestFrequency || string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestFrequency = frequency;
            }
        }

        return best ?? term;
    }

    private static string TitleText(KnowledgePassage passage) =>
        passage.Heading is null ? passage.ArticleTitle : $"{passage.ArticleTitle}. {passage.Heading}";
}
