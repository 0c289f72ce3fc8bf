using System.Text.Json;
using System.Text.RegularExpressions;
using Deskbridge.Agent;
using Deskbridge.Agent.Knowledge;
using Microsoft.Extensions.AI;

namespace Deskbridge.Llm;

/// <summary>The model's reply was not the JSON the prompt asked for. Counts as a transient fault: the call is retried.</summary>
internal sealed class ModelOutputException(string message) : Exception(message);

/// <summary>
/// Our rules on top of Microsoft.Extensions.AI's structured output: the reply is deserialized into the shapes of
/// <see cref="ModelOutputJson"/> by <see cref="ChatResponse{T}.TryGetResult"/>; what is not exactly the documented
/// shape throws <see cref="ModelOutputException"/> saying what is wrong. Only a Markdown code fence around the object
/// is tolerated (models without a response format add one). Extra properties are ignored.
/// </summary>
internal static partial class ModelOutput
{
    private const int MaxQuoteLength = 400;

    private static readonly JsonDocumentOptions Strict = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 };

    /// <summary>Reads <c>{"action":"answer"|"handoff", …}</c>; <paramref name="passages"/> are the ones the prompt offered.</summary>
    public static AgentDecision ReadDecision(ChatResponse<DecisionOutput> response, IReadOnlyList<KnowledgeHit> passages)
    {
        var output = Result(response);
        var action = Required(output.Action, "action").Trim().ToLowerInvariant();
        switch (action)
        {
            case "answer":
            {
                var answer = Required(output.Answer, "answer").Trim();
                if (answer.Length == 0)
                {
                    throw new ModelOutputException("the answer is empty");
                }

                var sources = output.Sources ?? throw new ModelOutputException("\"sources\" is missing or not a list");
                return new AgentAnswer(answer, ReadSources(sources, passages));
            }

            case "handoff":
            {
                var reason = Required(output.Reason, "reason").Trim();
                if (reason.Length == 0)
                {
                    throw new ModelOutputException("the handoff reason is empty");
                }

                return new AgentHandoff(reason, ReadTrigger(output.Trigger));
            }

            default:
                throw new ModelOutputException($"unknown action \"{Shorten(action, 40)}\" (expected \"answer\" or \"handoff\")");
        }
    }

    /// <summary>Reads <c>{"summary":…,"sentiment":{"label":…,"score":…},"language":…,"languageConfidence":…}</c>.</summary>
    public static ConversationAnalysis ReadAnalysis(ChatResponse<AnalysisOutput> response)
    {
        var output = Result(response);
        var summary = Required(output.Summary, "summary").Trim();
        if (summary.Length == 0)
        {
            throw new ModelOutputException("the summary is empty");
        }

        var sentiment = output.Sentiment ?? throw new ModelOutputException("\"sentiment\" is missing or not an object");
        var label = Required(sentiment.Label, "label").Trim().ToLowerInvariant() switch
        {
            "negative" => SentimentLabel.Negative,
            "neutral" => SentimentLabel.Neutral,
            "positive" => SentimentLabel.Positive,
            var other => throw new ModelOutputException($"unknown sentiment label \"{Shorten(other, 40)}\""),
        };
        var score = sentiment.Score ?? throw new ModelOutputException("\"score\" is missing or not a number");
        if (score is < -1 or > 1)
        {
            throw new ModelOutputException($"sentiment score {score} is outside -1..1");
        }

        var language = Required(output.Language, "language").Trim().ToLowerInvariant();
        var primary = language.Split('-', '_')[0];
        if (!LanguageCode().IsMatch(primary))
        {
            throw new ModelOutputException($"\"{Shorten(language, 20)}\" is not a language code");
        }

        var confidence = output.LanguageConfidence ?? 1.0;
        if (confidence is < 0 or > 1)
        {
            throw new ModelOutputException($"language confidence {confidence} is outside 0..1");
        }

        if (primary == "und")
        {
            confidence = 0;
        }

        return new ConversationAnalysis(summary, new SentimentResult(label, score), primary, confidence);
    }

    /// <summary>The deserialized reply; when there is none, why, in words a handoff note can carry.</summary>
    private static T Result<T>(ChatResponse<T> response)
    {
        if (response.TryGetResult(out var result))
        {
            return result;
        }

        var text = response.Text.Trim();
        var fence = CodeFence().Match(text);
        if (fence.Success)
        {
            text = fence.Groups[1].Value.Trim();
            if (new ChatResponse<T>(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)), ModelOutputJson.Default.Options).TryGetResult(out result))
            {
                return result;
            }
        }

        throw new ModelOutputException(WhyUnusable<T>(text));
    }

    /// <summary>Only reached when the reply is unusable, so parsing it once more to say why costs nothing that matters.</summary>
    private static string WhyUnusable<T>(string json)
    {
        if (json.Length == 0)
        {
            return "the reply is empty";
        }

        try
        {
            using var document = JsonDocument.Parse(json, Strict);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "the reply is not a JSON object";
            }

            JsonSerializer.Deserialize(json, ModelOutputJson.Default.GetTypeInfo(typeof(T))!);
            return "the reply does not match the requested shape";
        }
        catch (JsonException exception) when (exception.Path is { Length: > 1 } path)
        {
            return $"the value at {path} is not of the type the schema gives";
        }
        catch (JsonException)
        {
            return $"the reply is not JSON: \"{Shorten(json, 80)}\"";
        }
    }

    private static List<KnowledgeSource> ReadSources(IReadOnlyList<string?> sources, IReadOnlyList<KnowledgeHit> passages)
    {
        var result = new List<KnowledgeSource>();
        foreach (var source in sources)
        {
            var id = (source ?? throw new ModelOutputException("a source is not a string")).Trim().Trim('[', ']');

            // A passage id ("article#2"), or the bare article id when the model drops the index.
            var hit = passages.FirstOrDefault(p => p.Passage.Id == id) ?? passages.FirstOrDefault(p => p.Passage.ArticleId == id)
                ?? throw new ModelOutputException($"source \"{Shorten(id, 60)}\" is not one of the passages given");
            if (result.Any(s => s.ArticleId == hit.Passage.ArticleId && s.Quote == Quote(hit.Passage)))
            {
                continue;
            }

            result.Add(new KnowledgeSource(hit.Passage.ArticleId, hit.Passage.ArticleTitle, Quote(hit.Passage), Math.Round(hit.Score, 4)));
        }

        return result;
    }

    private static HandoffTrigger ReadTrigger(string? trigger)
    {
        if (trigger is null)
        {
            return HandoffTrigger.LowConfidence;
        }

        var value = trigger.Trim().Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return value switch
        {
            "lowconfidence" => HandoffTrigger.LowConfidence,
            "customeraskedforhuman" => HandoffTrigger.CustomerAskedForHuman,
            "angrycustomer" => HandoffTrigger.AngryCustomer,
            _ => throw new ModelOutputException($"unknown handoff trigger \"{Shorten(value, 40)}\""),
        };
    }

    private static string Required(string? value, string name) =>
        value ?? throw new ModelOutputException($"\"{name}\" is missing or not a string");

    private static string Quote(KnowledgePassage passage)
    {
        var text = passage.Text.Replace("\n\n", " ", StringComparison.Ordinal);
        if (text.Length <= MaxQuoteLength)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', MaxQuoteLength);
        return text[..(cut > 0 ? cut : MaxQuoteLength)] + " …";
    }

    internal static string Shorten(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..max] + "…";
    }

    [GeneratedRegex(@"^```[a-zA-Z]*\s*\n?(.*?)\n?```$", RegexOptions.Singleline)]
    private static partial Regex CodeFence();

    [GeneratedRegex(@"^([a-z]{2}|und)$")]
    private static partial Regex LanguageCode();
}
