using System.Globalization;
using System.Text;
using System.Text.Json;
using Deskbridge.Agent.Embedded;
using Deskbridge.Agent.Knowledge;
using Deskbridge.Agent.Knowledge.Retrieval;

namespace Deskbridge.Agent.Evaluation;

/// <summary>One question of a test set: the article that answers it, or none (then the right decision is a handoff).</summary>
public sealed record EvaluationCase(string Kind, string? Article, string Text);

/// <summary>
/// How one retrieval mode did on a test set. Recall@3 is over the answerable questions: the expected article is among the
/// first three articles retrieved (in the order of their passages). Decisions: every question is exactly one of answered correctly (from the expected
/// article), handed off correctly (nothing answers it), handed off needlessly (an article answers it) or a wrong answer.
/// The agent answers only when it is confident, so every wrong answer is a wrong confident answer, the worst outcome; they
/// are split into answers to unanswerable questions and answers from the wrong article.
/// </summary>
public sealed record EvaluationScore(
    string Mode,
    int Questions,
    int Answerable,
    int FoundInTop3,
    int AnsweredCorrectly,
    int HandedOffCorrectly,
    int HandedOffNeedlessly,
    int WrongAnswerToUnanswerable,
    int WrongArticle,
    IReadOnlyList<string> Misses)
{
    public double RecallAt3 => Answerable == 0 ? 0 : (double)FoundInTop3 / Answerable;

    public int WrongAnswers => WrongAnswerToUnanswerable + WrongArticle;

    public int Correct => AnsweredCorrectly + HandedOffCorrectly;

    public double Accuracy => Questions == 0 ? 0 : (double)Correct / Questions;
}

/// <summary>Scores the embedded agent on a test set (JSON: {"description", "items": [{"kind","article","text"}]}).</summary>
public static class RetrievalEvaluation
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<EvaluationCase> Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.GetProperty("items").EnumerateArray().Select(item => new EvaluationCase(
            item.TryGetProperty("kind", out var kind) ? kind.GetString() ?? "" : item.GetProperty("label").GetString() ?? "",
            item.TryGetProperty("article", out var article) && article.ValueKind == JsonValueKind.String ? article.GetString() : null,
            item.GetProperty("text").GetString() ?? ""))];
    }

    /// <summary>
    /// The older labelled set (demo-eval-set.json) in the same shape: its "answer" and "out_of_scope" items (its "human" and
    /// "angry" items test detectors that retrieval does not change).
    /// </summary>
    public static IReadOnlyList<EvaluationCase> LoadLabelled(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.GetProperty("items").EnumerateArray()
            .Select(item => (Label: item.GetProperty("label").GetString(), Item: item))
            .Where(x => x.Label is "answer" or "out_of_scope")
            .Select(x => new EvaluationCase(
                x.Label == "answer" ? "answer" : "unanswerable",
                x.Label == "answer" ? x.Item.GetProperty("article").GetString() : null,
                x.Item.GetProperty("text").GetString() ?? ""))];
    }

    public static async Task<EvaluationScore> ScoreAsync(string mode, EmbeddedSupportAgent agent, string knowledgeBaseKey, IReadOnlyList<EvaluationCase> cases, CancellationToken cancellationToken = default)
    {
        int found = 0, answeredCorrectly = 0, handedOffCorrectly = 0, needless = 0, wrongUnanswerable = 0, wrongArticle = 0;
        var misses = new List<string>();
        var at = DateTimeOffset.UnixEpoch;
        foreach (var item in cases)
        {
            var request = new AgentRequest(knowledgeBaseKey, [new TranscriptEntry(Speaker.Customer, item.Text, at)], new Dictionary<string, string>());
            var trace = await agent.TraceAsync(request, cancellationToken);
            var top3 = trace.Retrieved.Select(h => h.Passage.ArticleId).Distinct(StringComparer.Ordinal).Take(3).ToList();
            if (item.Article is not null && top3.Contains(item.Article))
            {
                found++;
            }

            var answeredFrom = trace.Decision is AgentAnswer { Sources: [var first, ..] } ? first.ArticleId : null;
            var answered = trace.Decision is AgentAnswer;
            string? miss = null;
            if (item.Article is null)
            {
                if (answered)
                {
                    wrongUnanswerable++;
                    miss = $"WRONG ANSWER from {answeredFrom ?? "small talk"}";
                }
                else
                {
                    handedOffCorrectly++;
                }
            }
            else if (!answered)
            {
                needless++;
                miss = "handed off: " + ((AgentHandoff)trace.Decision).Reason;
            }
            else if (answeredFrom == item.Article)
            {
                answeredCorrectly++;
            }
            else
            {
                wrongArticle++;
                miss = $"WRONG ANSWER from {answeredFrom ?? "small talk"}";
            }

            if (miss is not null)
            {
                misses.Add($"[{item.Kind}{(item.Article is null ? "" : " " + item.Article)}] \"{item.Text}\" -> {miss} (top 3: {Describe(trace.Retrieved.Take(4))})");
            }
        }

        return new EvaluationScore(mode, cases.Count, cases.Count(c => c.Article is not null), found, answeredCorrectly, handedOffCorrectly, needless, wrongUnanswerable, wrongArticle, misses);
    }

    /// <summary>BM25 alone and hybrid side by side, one row each, as the README shows them.</summary>
    public static string Table(string title, IEnumerable<EvaluationScore> scores)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{title}");
        text.AppendLine("| retrieval | questions | recall@3 | answered correctly | handed off correctly | handed off, answerable | wrong answers (all confident) | of which: answered the unanswerable / wrong article |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var s in scores)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Mode} | {s.Questions} | {s.RecallAt3:P1} ({s.FoundInTop3}/{s.Answerable}) | {s.AnsweredCorrectly} | {s.HandedOffCorrectly} | {s.HandedOffNeedlessly} | {s.WrongAnswers} | {s.WrongAnswerToUnanswerable} / {s.WrongArticle} |");
        }

        return text.ToString();
    }

    /// <summary>Scores per kind of question (paraphrase, typo, de, …) for one mode.</summary>
    public static string ByKind(EvaluationScore score, IReadOnlyList<EvaluationCase> cases) =>
        string.Join(", ", cases.GroupBy(c => c.Kind).Select(g => $"{g.Key} {g.Count()}")) + $" — {score.Mode}: accuracy {score.Accuracy:P1}";

    private static string Describe(IEnumerable<RetrievalHit> hits) => string.Join("; ", hits.Select(h =>
        $"{h.Passage.Id} bm25={h.Lexical?.Score.ToString("0.00", CultureInfo.InvariantCulture) ?? "-"} cov={h.Lexical?.Coverage.ToString("0.00", CultureInfo.InvariantCulture) ?? "-"} cos={h.Similarity?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-"}"));

    /// <summary>The demo agent in one mode, over the shipped demo knowledge (the hybrid one shares the process's model).</summary>
    public static EmbeddedSupportAgent DemoAgent(RetrievalMode mode, RetrievalOptions? options = null, string? knowledgeRoot = null)
    {
        var retrievalOptions = options ?? new RetrievalOptions();
        retrievalOptions.Mode = mode;
        var retriever = mode == RetrievalMode.Lexical ? KnowledgeRetriever.Lexical : new KnowledgeRetriever(MiniLmPassageEmbedder.Shared, new InMemoryEmbeddingStore(), retrievalOptions);
        return new EmbeddedSupportAgent(new KnowledgeBaseCatalog(knowledgeRoot), new EmbeddedAgentOptions(), retriever);
    }
}
