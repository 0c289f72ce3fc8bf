using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Deskbridge.Llm;

// The shapes the model is asked for. Microsoft.Extensions.AI turns them into the JSON schema of the request's
// response format and deserializes the reply into them; ModelOutput then applies the rules a schema cannot say
// (non-empty text, sources among the passages given, ranges, language codes). Every property is nullable so that a
// missing field reaches ModelOutput and gets its own message instead of a generic deserialization failure.

/// <summary><c>{"action":"answer"|"handoff", …}</c>: the agent's decision about the customer's latest message.</summary>
internal sealed class DecisionOutput
{
    [Description("\"answer\" to reply to the customer, \"handoff\" to pass the conversation to a human colleague.")]
    public string? Action { get; init; }

    [Description("With action \"answer\": the reply to send to the customer.")]
    public string? Answer { get; init; }

    [Description("With action \"answer\": the ids of the passages the answer is based on (empty only for a greeting or thanks).")]
    public IReadOnlyList<string?>? Sources { get; init; }

    [Description("With action \"handoff\": one sentence for the human colleague, why you hand off.")]
    public string? Reason { get; init; }

    [Description("With action \"handoff\": \"low_confidence\", \"customer_asked_for_human\" or \"angry_customer\".")]
    public string? Trigger { get; init; }
}

/// <summary><c>{"summary":…,"sentiment":{…},"language":…,"languageConfidence":…}</c>: the analysis for the handoff note.</summary>
internal sealed class AnalysisOutput
{
    [Description("2-4 sentences in English: who the customer is if known, what they want, what has been tried or answered, what is still open.")]
    public string? Summary { get; init; }

    [Description("The customer's sentiment.")]
    public SentimentOutput? Sentiment { get; init; }

    [Description("ISO 639-1 code of the customer's language, e.g. en, de, fr; und if it cannot be told.")]
    public string? Language { get; init; }

    [Description("How sure the language is, from 0 to 1.")]
    public double? LanguageConfidence { get; init; }
}

internal sealed class SentimentOutput
{
    [Description("\"negative\", \"neutral\" or \"positive\".")]
    public string? Label { get; init; }

    [Description("From -1 (very negative) to 1 (very positive).")]
    public double? Score { get; init; }
}

/// <summary>
/// Source-generated metadata for the shapes, with the strict defaults of System.Text.Json kept on purpose: property
/// names are case-sensitive, numbers in strings, comments and trailing commas are refused.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNameCaseInsensitive = false, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(DecisionOutput))]
[JsonSerializable(typeof(AnalysisOutput))]
internal sealed partial class ModelOutputJson : JsonSerializerContext;
