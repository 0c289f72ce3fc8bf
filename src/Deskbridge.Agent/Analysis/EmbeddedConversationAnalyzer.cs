namespace Deskbridge.Agent.Analysis;

/// <summary>
/// A2 without an LLM or a network: the customer's language (<see cref="LanguageDetector"/>), their
/// sentiment (<see cref="SentimentScorer"/>) and an extractive summary (<see cref="ConversationSummarizer"/>),
/// all computed from the customer's own messages. Deterministic and safe to share between threads.
/// </summary>
public sealed class EmbeddedConversationAnalyzer(LanguageDetector languageDetector) : IConversationAnalyzer
{
    public EmbeddedConversationAnalyzer()
        : this(LanguageDetector.Default)
    {
    }

    public Task<ConversationAnalysis> AnalyzeAsync(IReadOnlyList<TranscriptEntry> transcript, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Analyze(transcript));
    }

    public ConversationAnalysis Analyze(IReadOnlyList<TranscriptEntry> transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var customerMessages = transcript
            .Where(e => e.Speaker == Speaker.Customer && !string.IsNullOrWhiteSpace(e.Text))
            .Select(e => e.Text)
            .ToList();

        var language = languageDetector.Detect(string.Join('\n', customerMessages));
        return new ConversationAnalysis(
            ConversationSummarizer.Summarize(transcript),
            SentimentScorer.Score(customerMessages),
            language.Language,
            language.Confidence);
    }
}
