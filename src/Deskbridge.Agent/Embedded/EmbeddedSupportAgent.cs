using System.Text;
using System.Text.RegularExpressions;
using Deskbridge.Agent.Knowledge;
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

    public EmbeddedSupportAgent(EmbeddedAgentOptions? options = null)
        : this(new KnowledgeBaseCatalog((options ?? new EmbeddedAgentOptions()).KnowledgeRoot), options)
    {
    }

    public EmbeddedSupportAgent(KnowledgeBaseCatalog catalog, EmbeddedAgentOptions? options = null)
    {
        _catalog = catalog;
        _options = options ?? new EmbeddedAgentOptions();
    }

    public KnowledgeBaseCatalog Catalog => _catalog;

    /// <summary>Answers come from the knowledge base alone; the CRM context is for the handoff note.</summary>
    public bool UsesCrmContext => false;

    public Task<AgentDecision> DecideAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Decide(request));
    }

    public AgentDecision Decide(AgentRequest request)
    {
        var customerMessages = request.Transcript
            .Where(e => e.Speaker == Speaker.Customer && !string.IsNullOrWhiteSpace(e.Text))
            .Select(e => e.Text)
            .ToList();
        if (customerMessages.Count == 0)
        {
            return new AgentHandoff("There is no customer message to answer yet.", HandoffTrigger.LowConfidence);
        }

        var message = customerMessages[^1];
        var earlier = customerMessages.Take(customerMessages.Count - 1).ToList();
        var excerpt = TextNormalizer.Excerpt(message);

        if (HumanRequestDetector.Match(message) is { } askedFor)
        {
            return new AgentHandoff(
                $"The customer asked to talk to a person (\"{askedFor}\"): \"{excerpt}\"",
                HandoffTrigger.CustomerAskedForHuman);
        }

        var anger = AngerDetector.Assess(message, earlier);
        if (anger.IsAngry)
        {
            return new AgentHandoff(
                $"The customer seems angry ({string.Join("; ", anger.Signals)}): \"{excerpt}\"",
                HandoffTrigger.AngryCustomer);
        }

        if (IsSmallTalk(message, out var thanks))
        {
            return new AgentAnswer(thanks ? ThanksAnswer : GreetingAnswer, []);
        }

        if (!KnowledgeBaseCatalog.IsValidKey(request.KnowledgeBaseKey))
        {
            return new AgentHandoff(
                $"The organization's knowledge base key \"{request.KnowledgeBaseKey}\" is not valid, so the question could not be answered: \"{excerpt}\"",
                HandoffTrigger.AgentUnavailable);
        }

        var knowledgeBase = _catalog.Get(request.KnowledgeBaseKey);
        if (knowledgeBase.IsEmpty)
        {
            return new AgentHandoff(
                $"The knowledge base \"{request.KnowledgeBaseKey}\" has no articles, so the question could not be answered: \"{excerpt}\"",
                HandoffTrigger.AgentUnavailable);
        }

        return Answer(knowledgeBase, message, earlier, excerpt);
    }

    private AgentDecision Answer(KnowledgeBase knowledgeBase, string message, List<string> earlier, string excerpt)
    {
        var terms = knowledgeBase.ParseQuestion(message).ToList();
        if (terms.Count < _options.ShortMessageTermCount && earlier.Count > 0)
        {
            foreach (var term in knowledgeBase.ParseQuestion(earlier[^1], _options.ContextWeight))
            {
                if (!terms.Exists(t => t.Term == term.Term))
                {
                    terms.Add(term);
                }
            }
        }

        if (terms.Count == 0)
        {
            return new AgentHandoff(
                $"No knowledge-base article matched the question, which has no searchable words: \"{excerpt}\"",
                HandoffTrigger.LowConfidence);
        }

        var hits = knowledgeBase.Search(terms, Math.Max(_options.MaxSources, 1) + 2, _options.UnknownTermWeight);
        if (hits.Count == 0)
        {
            return new AgentHandoff(
                $"No knowledge-base article matched the question about \"{excerpt}\".",
                HandoffTrigger.LowConfidence);
        }

        var best = hits[0];
        if (best.Score < _options.MinScore || best.Coverage < _options.MinCoverage)
        {
            var missing = best.MissingTerms.Count > 0 ? $" (it does not mention: {string.Join(", ", best.MissingTerms)})" : string.Empty;
            return new AgentHandoff(
                $"No knowledge-base article matched the question about \"{excerpt}\" well enough; the closest was \"{best.Passage.ArticleTitle}\"{missing}, relevance {best.Coverage:P0}, score {best.Score:0.00}.",
                HandoffTrigger.LowConfidence);
        }

        var chosen = new List<KnowledgeHit> { best };
        foreach (var hit in hits.Skip(1))
        {
            if (chosen.Count >= _options.MaxSources)
            {
                break;
            }

            if (hit.Score >= best.Score * _options.SecondarySourceMinRatio
                && hit.Coverage >= _options.MinCoverage
                && hit.Passage.ArticleId != best.Passage.ArticleId)
            {
                chosen.Add(hit);
            }
        }

        var sources = chosen
            .Select(h => new KnowledgeSource(h.Passage.ArticleId, h.Passage.ArticleTitle, Quote(knowledgeBase, h, terms), Math.Round(h.Score, 4)))
            .ToList();

        var text = new StringBuilder();
        text.Append("Here is what our help center says");
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            text.Append(i == 0 ? " in " : "\n\nAnd in ").Append('"').Append(source.Title).Append("\":\n\n").Append(source.Quote);
        }

        text.Append("\n\n").Append(ClosingSentence);
        // G1: the best article's coverage of the question (idf-weighted share of its words) is the agent's own measure of fit.
        return new AgentAnswer(text.ToString(), sources, Math.Round(Math.Clamp(best.Coverage, 0, 1), 2));
    }

    /// <summary>The passage's sentences that carry the question's words (in article order), or its opening when none does.</summary>
    private string Quote(KnowledgeBase knowledgeBase, KnowledgeHit hit, List<QueryTerm> terms)
    {
        var sentences = SentenceSplit().Split(hit.Passage.Text.Replace("\n\n", " \n", StringComparison.Ordinal))
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
