using Deskbridge.Agent;
using Deskbridge.Llm.Prompts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Deskbridge.Llm;

/// <summary>
/// A2 through a real LLM: summary, customer sentiment and language for the handoff note. When the model
/// stays unusable through the retries, the <c>fallback</c> analyzer (e.g. the embedded one) answers; without
/// one, a neutral result in language "und" whose summary says what went wrong. It never throws for a model fault.
/// </summary>
public sealed class LlmConversationAnalyzer : IConversationAnalyzer
{
    /// <summary>How the summary of the last-resort result begins.</summary>
    public const string UnusableAnalysisSummary = "No summary: the AI model did not give a usable analysis: ";

    private readonly ModelCall _model;
    private readonly IConversationAnalyzer? _fallback;
    private readonly ILogger _logger;

    public LlmConversationAnalyzer(IChatClient chatClient, LlmOptions options, IConversationAnalyzer? fallback = null, ILogger<LlmConversationAnalyzer>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(options);
        _fallback = fallback;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _model = new ModelCall(chatClient, options, _logger, timeProvider ?? TimeProvider.System);
    }

    public async Task<ConversationAnalysis> AnalyzeAsync(IReadOnlyList<TranscriptEntry> transcript, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        if (!transcript.Any(e => e.Speaker != Speaker.InternalNote && !string.IsNullOrWhiteSpace(e.Text)))
        {
            return new ConversationAnalysis("The conversation has no messages yet.", new SentimentResult(SentimentLabel.Neutral, 0), "und", 0);
        }

        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, PromptTemplates.Load(PromptTemplates.AnalyzeSystem)),
            new(ChatRole.User, PromptTemplates.Render(PromptTemplates.AnalyzeUser, new Dictionary<string, string>
            {
                ["conversation"] = PromptText.Conversation(transcript),
            })),
        };

        var result = await _model.GetAsync<AnalysisOutput, ConversationAnalysis>("analysis", messages, ModelOutput.ReadAnalysis, cancellationToken);
        if (result.Value is { } analysis)
        {
            return analysis;
        }

        if (_fallback is not null)
        {
            var name = _fallback.GetType().Name;
            LlmLog.AnalysisFellBack(_logger, result.Failure!, name);
            try
            {
                return await _fallback.AnalyzeAsync(transcript, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LlmLog.FallbackFailed(_logger, name, exception.GetType().Name);
            }
        }

        return new ConversationAnalysis(UnusableAnalysisSummary + result.Failure, new SentimentResult(SentimentLabel.Neutral, 0), "und", 0);
    }
}
