using System.Text;
using System.Text.RegularExpressions;
using Deskbridge.Agent.Analysis;
using Deskbridge.Agent.Knowledge;
using Deskbridge.Agent.Knowledge.Retrieval;
using Deskbridge.Agent.Sentiment;

namespace Deskbridge.Agent.Embedded;

/// <summary>
/// The default agent: no network, no model. It answers the customer's last message with quotes
/// from the organization's knowledge base, and hands off when the customer asks for a person,
/// is angry, or when no article answers the question well enough. Deterministic and thread-safe.
/// </summary>
public sealed partial class EmbeddedSupportAgent : ISupportAgent
{
    public const string GreetingAnswer = "Hi! How can I help you today?";
    public const string ThanksAnswer = "You're welcome! Is there anything else I can help you with?";
    public const string ClosingSentence = "Is there anything else I can help you with?";

    private static readonly HashSet<string> SmallTalkWords = new(StringComparer.Ordinal)
    {
        "hi", "hello", "hey", "hallo", "hola", "bonjour", "salut", "hoi", "moin", "yo", "hiya", "howdy", "greetings",
        "good", "morning", "afternoon", "evening", "day", "there", "dear", "team", "support", "all", "guys", "everyone",
        "thanks", "thank", "you", "thx", "ty", "cheers", "ok", "okay", "great", "perfect", "cool", "nice", "awesome",
        "much", "so", "a", "lot", "very", "bye", "goodbye", "that's", "thats", "it", "all", "got", "understood", "merci", "danke", "gracias", "bedankt",
    };

    private static readonly HashSet<string> ThanksWords = new(StringComparer.Ordinal)
    {
        "thanks", "thank", "thx", "ty", "cheers", "merci", "danke", "gracias", "bedankt", "bye", "goodbye",
    };

    private readonly KnowledgeBaseCatalog _catalog;
    private readonly EmbeddedAgentOptions _options;
    private readonly KnowledgeRetriever _retriever;
    private readonly LanguageDetector? _languages;

    public EmbeddedSupportAgent(EmbeddedAgentOptions? options = null)
        : this(new KnowledgeBaseCatalog((options ?? new EmbeddedAgentOptions()).KnowledgeRoot), options)
    {
    }

    /// <param name="retriever">How passages are found; null is BM25 alone (<see cref="KnowledgeRetriever.Lexical"/>).</param>
    /// <param name="languages">Detects the customer's language, so that articles in it are preferred; null: articles rank alike.</param>
    public EmbeddedSupportAgent(KnowledgeBaseCatalog catalog, EmbeddedAgentOptions? options = null, KnowledgeRetriever? retriever = null, LanguageDetector? languages = null)
    {
        _catalog = catalog;
        _options = options ?? new EmbeddedAgentOptions();
        _retriever = retriever ?? KnowledgeRetriever.Lexical;
        _languages = languages;
    }

    public KnowledgeBaseCatalog Catalog => _catalog;

    public KnowledgeRetriever Retriever => _retriever;

    /// <summary>Answers come from the knowledge base alone; the CRM context is for the handoff note.</summary>
    public bool UsesCrmContext => false;

    public async Task<AgentDecision> DecideAsync(AgentRequest request, CancellationToken cancellationToken) =>
        (await TraceAsync(request, cancellationToken)).Decision;

    /// <summary>For callers without an async context (tests, tools; no synchronization context to deadlock on).</summary>
    public AgentDecision Decide(AgentRequest request) => DecideAsync(request, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<AgentTrace> TraceAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (request.NewMessages > 1)
        {
            return await BurstAsync(request, cancellationToken);
        }
        var customerMessages = request.Transcript
            .Where(e => e.Speaker == Speaker.Customer && !string.IsNullOrWhiteSpace(e.Text))
            .Select(e => e.Text)
            .ToList();
        if (customerMessages.Count == 0)
        {
            return new AgentTrace(new AgentHandoff("There is no customer message to answer yet.", HandoffTrigger.LowConfidence), [], null, _retriever.Mode);
        }

        var message = customerMessages[^1];
        var earlier = customerMessages.Take(customerMessages.Count - 1).ToList();
        var excerpt = TextNormalizer.Excerpt(message);

        if (HumanRequestDetector.Match(message) is { } askedFor)
        {
            return Untraced(new AgentHandoff(
                $"The customer asked to talk to a person (\"{askedFor}\"): \"{excerpt}\"",
                HandoffTrigger.CustomerAskedForHuman));
        }

        var anger = AngerDetector.Assess(message, earlier);
        if (anger.IsAngry)
        {
            return Untraced(new AgentHandoff(
                $"The customer seems angry ({string.Join("; ", anger.Signals)}): \"{excerpt}\"",
                HandoffTrigger.AngryCustomer));
        }

        if (IsSmallTalk(message, out var thanks))
        {
            return Untraced(new AgentAnswer(thanks ? ThanksAnswer : GreetingAnswer, []));
        }

        if (!KnowledgeBaseCatalog.IsValidKey(request.KnowledgeBaseKey))
        {
            return Untraced(new AgentHandoff(
                $"The organization's knowledge base key \"{request.KnowledgeBaseKey}\" is not valid, so the question could not be answered: \"{excerpt}\"",
                HandoffTrigger.AgentUnavailable));
        }

        var knowledgeBase = _catalog.Get(request.KnowledgeBaseKey);
        if (knowledgeBase.IsEmpty)
        {
            return Untraced(new AgentHandoff(
                $"The knowledge base \"{request.KnowledgeBaseKey}\" has no articles, so the question could not be answered: \"{excerpt}\"",
                HandoffTrigger.AgentUnavailable));
        }

        return await AnswerAsync(knowledgeBase, message, earlier, excerpt, cancellationToken);
    }

    private AgentTrace Untraced(AgentDecision decision) => new(decision, [], null, _retriever.Mode);

    /// <summary>
    /// G3: several customer messages in a burst get one answer that covers each of them. Every message is decided as if it
    /// came alone (with the conversation before the burst); if any of them needs a human, the whole burst goes to one (a
    /// partial answer would leave a question unanswered). The answers are joined, an article quoted once.
    /// </summary>
    private async Task<AgentTrace> BurstAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var customerAt = request.Transcript.Select((e, i) => (e, i)).Where(x => x.e.Speaker == Speaker.Customer && !string.IsNullOrWhiteSpace(x.e.Text))
            .Select(x => x.i).ToList();
        var burst = customerAt.TakeLast(request.NewMessages).ToList();
        var before = request.Transcript.Take(burst[0]).ToList();
        var decided = new List<(AgentTrace Trace, string Text)>();
        foreach (var index in burst)
        {
            var alone = request with { Transcript = [.. before, request.Transcript[index]], NewMessages = 1 };
            decided.Add((await TraceAsync(alone, cancellationToken), request.Transcript[index].Text));
        }

        // A person asked for, or anger, outranks a question the knowledge base cannot answer. A line that asks nothing
        // ("I ordered a jacket last week") is context for the others, not a question left open, as long as one was answered.
        var anyAnswered = decided.Exists(d => d.Trace.Decision is AgentAnswer { Sources.Count: > 0 });
        var traces = decided.Select(d => d.Trace).ToList();
        if (decided.Where(d => d.Trace.Decision is AgentHandoff h && (h.Trigger != HandoffTrigger.LowConfidence || !anyAnswered || d.Text.Contains('?', StringComparison.Ordinal)))
            .Select(d => d.Trace)
            .OrderBy(t => ((AgentHandoff)t.Decision).Trigger == HandoffTrigger.LowConfidence ? 1 : 0).FirstOrDefault() is { } handoff)
        {
            var decision = (AgentHandoff)handoff.Decision;
            return handoff with { Decision = decision with { Reason = $"One of the customer's {burst.Count} messages in a row needs a human: {decision.Reason}" } };
        }

        var answers = traces.Where(t => t.Decision is AgentAnswer).Select(t => (Trace: t, Answer: (AgentAnswer)t.Decision)).ToList();
        var sourced = answers.Where(a => a.Answer.Sources.Count > 0).ToList();
        var parts = (sourced.Count > 0 ? sourced : answers.Take(1).ToList())
            .DistinctBy(a => a.Answer.Sources.Count > 0 ? a.Answer.Sources[0].ArticleId : a.Answer.Text).ToList();
        var text = string.Join("\n\n", parts.Select(a => a.Answer.Text.Replace(ClosingSentence, "", StringComparison.Ordinal).TrimEnd()));
        if (parts.Any(a => a.Answer.Text.Contains(ClosingSentence, StringComparison.Ordinal)))
        {
            text += "\n\n" + ClosingSentence;
        }
        var sources = parts.SelectMany(a => a.Answer.Sources).DistinctBy(source => source.ArticleId).ToList();
        var first = parts[0].Trace;
        return first with { Decision = new AgentAnswer(text, sources, parts.Min(a => a.Answer.Confidence)) };
    }

    private async Task<AgentTrace> AnswerAsync(KnowledgeBase knowledgeBase, string message, List<string> earlier, string excerpt, CancellationToken cancellationToken)
    {
        var terms = knowledgeBase.ParseQuestion(message).ToList();
        var queryText = message;
        if (terms.Count < _options.ShortMessageTermCount && earlier.Count > 0)
        {
            // "and to Canada?": the previous question says what it is about.
            queryText = earlier[^1] + "\n" + message;
            foreach (var term in knowledgeBase.ParseQuestion(earlier[^1], _options.ContextWeight))
            {
                if (!terms.Exists(t => t.Term == term.Term))
                {
                    terms.Add(term);
                }
            }
        }

        var language = CustomerLanguage(knowledgeBase, message);
        var mode = _retriever.Mode;
        if (terms.Count == 0 && mode == RetrievalMode.Lexical)
        {
            return new AgentTrace(new AgentHandoff(
                $"No knowledge-base article matched the question, which has no searchable words: \"{excerpt}\"",
                HandoffTrigger.LowConfidence), [], language, mode);
        }

        // Deep enough that another article follows the passages of the best one (further sources, the playground's list).
        var hits = await _retriever.RetrieveAsync(knowledgeBase, terms, queryText, language, Math.Max(Math.Max(_options.MaxSources, 1) + 2, _retriever.Options.Depth), _options.UnknownTermWeight, cancellationToken);
        if (hits.Count == 0)
        {
            return new AgentTrace(new AgentHandoff(
                $"No knowledge-base article matched the question about \"{excerpt}\".",
                HandoffTrigger.LowConfidence), hits, language, mode);
        }

        // The best article answers when one of its passages is confident enough; that passage is quoted.
        var best = hits.Where(h => h.Passage.ArticleId == hits[0].Passage.ArticleId).FirstOrDefault(IsConfident) ?? hits[0];
        if (!IsConfident(best))
        {
            return new AgentTrace(new AgentHandoff(
                $"No knowledge-base article matched the question about \"{excerpt}\" well enough; the closest was \"{best.Passage.ArticleTitle}\"{WhyNot(best)}.",
                HandoffTrigger.LowConfidence), hits, language, mode);
        }

        var chosen = new List<RetrievalHit> { best };
        foreach (var hit in hits.Skip(1))
        {
            if (chosen.Count >= _options.MaxSources)
            {
                break;
            }

            if (Strength(hit) >= Strength(best) * _options.SecondarySourceMinRatio
                && IsConfident(hit)
                && hit.Passage.ArticleId != best.Passage.ArticleId)
            {
                chosen.Add(hit);
            }
        }

        var sources = chosen
            .Select(h => new KnowledgeSource(h.Passage.ArticleId, h.Passage.ArticleTitle, Quote(knowledgeBase, h.Passage, terms), Math.Round(Strength(h), 4)))
            .ToList();

        var text = new StringBuilder();
        text.Append("Here is what our help center says");
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            text.Append(i == 0 ? " in " : "\n\nAnd in ").Append('"').Append(source.Title).Append("\":\n\n").Append(source.Quote);
        }

        text.Append("\n\n").Append(ClosingSentence);
        return new AgentTrace(new AgentAnswer(text.ToString(), sources, Confidence(best)), hits, language, mode);
    }

    /// <summary>
    /// G1: the agent's own measure of fit: the best passage's coverage of the question (idf-weighted share of its words) when its
    /// words carried the answer, else how close its meaning is (a paraphrase answered on meaning alone).
    /// </summary>
    private double Confidence(RetrievalHit best)
    {
        var lexical = best.Lexical is { } l && l.Score >= _options.MinScore && l.Coverage >= _options.MinCoverage;
        var measure = lexical ? best.Lexical!.Coverage : best.Similarity ?? best.Lexical?.Coverage ?? 0;
        return Math.Round(Math.Clamp(measure, 0, 1), 2);
    }

    /// <summary>The customer's language, when the knowledge base has articles that say theirs (otherwise nothing to prefer).</summary>
    private string? CustomerLanguage(KnowledgeBase knowledgeBase, string message)
    {
        if (_languages is null || !knowledgeBase.HasLanguages)
        {
            return null;
        }

        var guess = _languages.Detect(message);
        return guess.Language == LanguageDetector.Undetermined ? null : guess.Language;
    }

    /// <summary>
    /// Enough to answer from: the passage's words cover the question (BM25 score and coverage, unless its meaning is far from
    /// the question's), or, in hybrid mode, its meaning is close to the question's though the words differ.
    /// </summary>
    private bool IsConfident(RetrievalHit hit)
    {
        var retrieval = _retriever.Options;
        var lexical = hit.Lexical is { } l && l.Score >= _options.MinScore && l.Coverage >= _options.MinCoverage
            && (hit.Similarity is not { } similarity || similarity >= retrieval.MinLexicalSimilarity);
        return lexical || hit.Similarity >= retrieval.MinSimilarity;
    }

    /// <summary>What further sources are compared on: BM25's score alone, or the fused score in hybrid mode.</summary>
    private double Strength(RetrievalHit hit) => _retriever.Mode == RetrievalMode.Lexical ? hit.Lexical?.Score ?? 0 : hit.Score;

    private string WhyNot(RetrievalHit hit)
    {
        var parts = new List<string>();
        if (hit.Lexical is { } lexical)
        {
            if (lexical.MissingTerms.Count > 0)
            {
                parts.Add($"it does not mention: {string.Join(", ", lexical.MissingTerms)}");
            }

            parts.Add($"relevance {lexical.Coverage:P0}, score {lexical.Score:0.00}");
        }
        else
        {
            parts.Add("none of the question's words");
        }

        if (hit.Similarity is { } similarity)
        {
            parts.Add($"similarity {similarity:0.00} (answers from {_retriever.Options.MinSimilarity:0.00})");
        }

        return hit.Lexical is { MissingTerms.Count: > 0 }
            ? $" ({parts[0]}), {string.Join(", ", parts.Skip(1))}"
            : $", {string.Join(", ", parts)}";
    }

    /// <summary>The passage's sentences that carry the question's words (in article order), or its opening when none does.</summary>
    private string Quote(KnowledgeBase knowledgeBase, KnowledgePassage passage, List<QueryTerm> terms)
    {
        var sentences = SentenceSplit().Split(passage.Text.Replace("\n\n", " \n", StringComparison.Ordinal))
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .ToList();
        if (sentences.Count <= _options.MaxQuoteSentences)
        {
            return string.Join(' ', sentences);
        }

        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            foreach (var variant in term.Variants)
            {
                var weight = term.Weight * knowledgeBase.InverseDocumentFrequency(variant) * (variant == term.Term ? 1.0 : KnowledgeBase.AlternativeWeight);
                weights[variant] = Math.Max(weights.GetValueOrDefault(variant), weight);
            }
        }

        var scored = sentences
            .Select((sentence, index) => (Index: index, Score: EnglishTerms.Analyze(sentence).Distinct().Sum(t => weights.GetValueOrDefault(t))))
            .ToList();
        var picked = scored
            .Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Index)
            .Take(_options.MaxQuoteSentences)
            .Select(s => s.Index)
            .Order()
            .ToList();
        if (picked.Count == 0)
        {
            picked = [.. Enumerable.Range(0, Math.Min(2, sentences.Count))];
        }

        return string.Join(' ', picked.Select(i => sentences[i]));
    }

    private static bool IsSmallTalk(string message, out bool thanks)
    {
        var words = TextNormalizer.Words(message);
        thanks = words.Exists(ThanksWords.Contains);
        return words.Count > 0 && words.TrueForAll(SmallTalkWords.Contains);
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9""“(€])|\s*\n\s*")]
    private static partial Regex SentenceSplit();
}
