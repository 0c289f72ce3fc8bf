using Microsoft.Extensions.Logging;

namespace Deskbridge.Llm;

/// <summary>Structured logs of the LLM adapter. Messages carry redacted fault descriptions only, never the API key or the conversation.</summary>
internal static partial class LlmLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "LLM {Operation} with model {Model}: attempt {Attempt} of {Attempts} failed ({Reason}); retrying in {DelayMs} ms")]
    public static partial void ModelCallRetrying(ILogger logger, string operation, string model, int attempt, int attempts, string reason, long delayMs);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "LLM {Operation} with model {Model} gave up after {Attempts} attempt(s): {Reason}")]
    public static partial void ModelCallFailed(ILogger logger, string operation, string model, int attempts, string reason);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "LLM analysis failed ({Reason}); using the fallback analyzer {Fallback}")]
    public static partial void AnalysisFellBack(ILogger logger, string reason, string fallback);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Error, Message = "The fallback analyzer {Fallback} failed too ({Error})")]
    public static partial void FallbackFailed(ILogger logger, string fallback, string error);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Information, Message = "LLM agent uses {Options}")]
    public static partial void Configured(ILogger logger, LlmOptions options);
}
