using Deskbridge.Agent.Knowledge.Retrieval;
using Deskbridge.Agents;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Knowledge.Gaps;

/// <summary>
/// I3: the questions the AI handed off for doubt in a period, grouped by topic, biggest group first; one service for the
/// API and the dashboard page. Groups on the questions' sentence embeddings when retrieval has them (stored per question;
/// any missing are embedded once and stored), else on TF-IDF of their terms.
/// </summary>
public sealed partial class KnowledgeGapReport(
    DeskbridgeDb db, KnowledgeRetriever retriever, IPassageEmbedder embedder, IOptions<KnowledgeGapOptions> options, ILogger<KnowledgeGapReport> logger)
{
    public async Task<GapReport> BuildAsync(Guid organizationId, GapPeriod period, CancellationToken ct)
    {
        var settings = options.Value;
        var (from, to) = (period.From.ToUnixTimeMilliseconds(), period.To.ToUnixTimeMilliseconds());
        var inPeriod = db.KnowledgeGapQuestions.Where(q => q.OrganizationId == organizationId && q.AskedAt >= from && q.AskedAt < to);
        var addressed = await inPeriod.CountAsync(q => q.AddressedByArticleId != null, ct);
        // The newest questions when there are more than the report reads; then grouped oldest first (the clustering's order).
        var questions = await inPeriod.AsNoTracking().Where(q => q.AddressedByArticleId == null)
            .OrderByDescending(q => q.AskedAt).ThenByDescending(q => q.Id).Take(settings.MaxQuestions + 1).ToListAsync(ct);
        var truncated = questions.Count > settings.MaxQuestions;
        questions = [.. questions.Take(settings.MaxQuestions).OrderBy(q => q.AskedAt).ThenBy(q => q.Id)];

        var words = questions.Select(q => GapTerms.Of(q.Text)).ToList();
        var tfIdf = GapClustering.TfIdf([.. words.Select(w => (IReadOnlyList<string>)[.. w.Select(t => t.Term)])]);
        var vectors = await VectorsAsync(questions, ct);
        var (assignment, method) = vectors is not null
            ? (GapClustering.Dense(vectors, settings.EmbeddingThreshold), $"embeddings ({embedder.Model})")
            : (GapClustering.Sparse(tfIdf, settings.TermThreshold), "terms (TF-IDF)");

        var groups = new List<GapGroup>();
        foreach (var members in Enumerable.Range(0, questions.Count).GroupBy(i => assignment[i]))
        {
            var indexes = members.ToList();
            var topTerms = TopTerms(indexes, tfIdf);
            var common = GapPrefill.CommonWords(indexes.SelectMany(i => words[i]));
            // Examples: the newest first, as a person scanning the page reads them.
            var examples = indexes.OrderByDescending(i => questions[i].AskedAt).ThenByDescending(i => questions[i].Id)
                .Take(settings.ExamplesPerGroup).Select(i => Example(questions[i])).ToList();
            groups.Add(new GapGroup(
                Key: questions[indexes[0]].Id,
                Count: indexes.Count,
                SuggestedTitle: GapPrefill.Title(topTerms, words[Central(indexes, tfIdf)], indexes.SelectMany(i => words[i])),
                Terms: [.. topTerms.Select(t => common.GetValueOrDefault(t, t))],
                Examples: examples,
                Languages: [.. indexes.Select(i => questions[i].Language).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                FirstAskedAt: DateTimeOffset.FromUnixTimeMilliseconds(questions[indexes[0]].AskedAt),
                LastAskedAt: DateTimeOffset.FromUnixTimeMilliseconds(questions[indexes[^1]].AskedAt),
                QuestionIds: [.. indexes.Select(i => questions[i].Id)]));
        }
        groups = [.. groups.OrderByDescending(g => g.Count).ThenByDescending(g => g.LastAskedAt).ThenBy(g => g.Key)];
        return new GapReport(period.From, period.To, method, questions.Count, addressed, truncated, groups);
    }

    /// <summary>One unit vector per question from the current model, or null when retrieval runs without embeddings (or the model fails).</summary>
    private async Task<List<float[]>?> VectorsAsync(List<KnowledgeGapQuestion> questions, CancellationToken ct)
    {
        if (retriever.Mode != RetrievalMode.Hybrid)
        {
            return null;
        }
        var model = embedder.Model;
        var missing = questions.Where(q => q.EmbeddingModel != model || q.Embedding is null).ToList();
        if (missing.Count > 0)
        {
            try
            {
                foreach (var batch in missing.Chunk(64))
                {
                    var made = await embedder.EmbedAsync([.. batch.Select(q => q.Text)], ct);
                    for (var i = 0; i < batch.Length; i++)
                    {
                        (batch[i].EmbeddingModel, batch[i].Embedding) = (model, VectorBytes.ToBytes(made[i]));
                        // Read without tracking (thousands of rows); only the rows given a vector are written.
                        var entry = db.KnowledgeGapQuestions.Attach(batch[i]);
                        entry.Property(q => q.EmbeddingModel).IsModified = true;
                        entry.Property(q => q.Embedding).IsModified = true;
                    }
                }
                await db.SaveChangesAsync(ct);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // Grouped on terms this time; the next view tries the model again.
                EmbeddingFailed(logger, missing.Count, error);
                return null;
            }
        }
        return [.. questions.Select(q => VectorBytes.ToVector(q.Embedding!))];
    }

    /// <summary>The group's terms by their summed TF-IDF weight; those at least half as heavy as the first (three at most).</summary>
    private static List<string> TopTerms(List<int> indexes, List<IReadOnlyDictionary<string, double>> tfIdf)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var i in indexes)
        {
            foreach (var (term, weight) in tfIdf[i])
            {
                weights[term] = weights.GetValueOrDefault(term) + weight;
            }
        }
        var ranked = weights.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).ToList();
        return ranked.Count == 0 ? [] : [.. ranked.TakeWhile(w => w.Value >= ranked[0].Value / 2).Take(3).Select(w => w.Key)];
    }

    /// <summary>The member whose terms are closest to the group's: its word order makes the suggested title read naturally.</summary>
    private static int Central(List<int> indexes, List<IReadOnlyDictionary<string, double>> tfIdf)
    {
        var centroid = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var i in indexes)
        {
            foreach (var (term, weight) in tfIdf[i])
            {
                centroid[term] = centroid.GetValueOrDefault(term) + weight;
            }
        }
        return indexes.OrderByDescending(i => tfIdf[i].Sum(t => t.Value * centroid.GetValueOrDefault(t.Key))).ThenBy(i => i).First();
    }

    private static GapExample Example(KnowledgeGapQuestion q) =>
        new(q.Id, q.Text, q.Language, DateTimeOffset.FromUnixTimeMilliseconds(q.AskedAt), q.SessionId, q.Confidence);

    /// <summary>The questions of a group, written from on the page: counted as addressed from now on.</summary>
    public async Task<int> MarkAddressedAsync(Guid organizationId, IReadOnlyCollection<long> questionIds, Guid articleId, DateTimeOffset at, CancellationToken ct)
    {
        if (questionIds.Count == 0)
        {
            return 0;
        }
        var ids = questionIds.Take(GapPrefill.MaxQuestionIds).ToList();
        var atMs = at.ToUnixTimeMilliseconds();
        return await db.KnowledgeGapQuestions
            .Where(q => q.OrganizationId == organizationId && ids.Contains(q.Id) && q.AddressedByArticleId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.AddressedByArticleId, articleId).SetProperty(q => q.AddressedAt, atMs), ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge gaps: {Count} questions could not be embedded; grouped on terms instead")]
    private static partial void EmbeddingFailed(ILogger logger, int count, Exception error);
}

/// <summary>A period [From, To).</summary>
public sealed record GapPeriod(DateTimeOffset From, DateTimeOffset To);

/// <param name="Method">What the questions were grouped on: the embedding model, or terms.</param>
/// <param name="Questions">Questions grouped (not addressed yet, at most KnowledgeGaps:MaxQuestions).</param>
/// <param name="Addressed">Questions of the period counted as addressed by an article written from their group.</param>
/// <param name="Truncated">More questions were asked than were read; the newest were grouped.</param>
public sealed record GapReport(DateTimeOffset From, DateTimeOffset To, string Method, int Questions, int Addressed, bool Truncated, IReadOnlyList<GapGroup> Groups);

/// <param name="Key">The id of the group's first question: stable while the period and its first question stay.</param>
/// <param name="Terms">The group's top terms, each as the group writes it most often.</param>
public sealed record GapGroup(
    long Key, int Count, string SuggestedTitle, IReadOnlyList<string> Terms, IReadOnlyList<GapExample> Examples, IReadOnlyList<string> Languages,
    DateTimeOffset FirstAskedAt, DateTimeOffset LastAskedAt, IReadOnlyList<long> QuestionIds);

public sealed record GapExample(long Id, string Text, string? Language, DateTimeOffset AskedAt, Guid SessionId, double? Confidence);
