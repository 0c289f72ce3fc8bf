using System.Text.Json;
using System.Text.RegularExpressions;
using Deskbridge.Agent;
using Deskbridge.Agent.Knowledge;

namespace Deskbridge.Llm;

/// <summary>The model's reply was not the JSON the prompt asked for. Counts as a transient fault: the call is retried.</summary>
internal sealed class ModelOutputException(string message) : Exception(message);

/// <summary>
/// Strict readers for the JSON the prompts ask for. Only a Markdown code fence around the object is
/// tolerated; anything else that is not exactly the documented shape throws <see cref="ModelOutputException"/>.
/// Extra properties are ignored.
/// </summary>
internal static partial class ModelOutput
{
    private const int MaxQuoteLength = 400;

    private static readonly JsonDocumentOptions Strict = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 };

    /// <summary>Reads <c>{"action":"answer"|"handoff", …}</c>; <paramref name="passages"/> are the ones the prompt offered.</summary>
    public static AgentDecision ReadDecision(string? text, IReadOnlyList<KnowledgeHit> passages)
    {
        using var document = Parse(text);
        var root = document.RootElement;
        var action = RequiredString(root, "action").Trim().ToLowerInvariant();
        switch (action)
        {
            case "answer":
            {
                var answer = RequiredString(root, "answer").Trim();
                if (answer.Length == 0)
                {
                    throw new ModelOutputException("the answer is empty");
                }

                if (!root.TryGetProperty("sources", out var sources) || sources.ValueKind != JsonValueKind.Array)
                {
                    throw new ModelOutputException("\"sources\" is missing or not a list");
                }

                return new AgentAnswer(answer, ReadSources(sources, passages));
            }

            case "handoff":
            {
                var reason = RequiredString(root, "reason").Trim();
                if (reason.Length == 0)
                {
                    throw new ModelOutputException("the handoff reason is empty");
                }

                return new AgentHandoff(reason, ReadTrigger(root));
            }

            default:
                throw new ModelOutputException($"unknown action \"{Shorten(action, 40)}\" (expected \"answer\" or \"handoff\")");
        }
    }

    /// <summary>Reads <c>{"summary":…,"sentiment":{"label":…,"score":…},"language":…,"languageConfidence":…}</c>.</summary>
    public static ConversationAnalysis ReadAnalysis(string? text)
    {
        using var document = Parse(text);
        var root = document.RootElement;
        var summary = RequiredString(root, "summary").Trim();
        if (summary.Length == 0)
        {
            throw new ModelOutputException("the summary is empty");
        }

        if (!root.TryGetProperty("sentiment", out var sentiment) || sentiment.ValueKind != JsonValueKind.Object)
        {
            throw new ModelOutputException("\"sentiment\" is missing or not an object");
        }

        var label = RequiredString(sentiment, "label").Trim().ToLowerInvariant() switch
        {
            "negative" => SentimentLabel.Negative,
            "neutral" => SentimentLabel.Neutral,
            "positive" => SentimentLabel.Positive,
            var other => throw new ModelOutputException($"unknown sentiment label \"{Shorten(other, 40)}\""),
        };
        var score = RequiredNumber(sentiment, "score");
        if (score is < -1 or > 1)
        {
            throw new ModelOutputException($"sentiment score {score} is outside -1..1");
        }

        var language = RequiredString(root, "language").Trim().ToLowerInvariant();
        var primary = language.Split('-', '_')[0];
        if (!LanguageCode().IsMatch(primary))
        {
            throw new ModelOutputException($"\"{Shorten(language, 20)}\" is not a language code");
        }

        var confidence = 1.0;
        if (root.TryGetProperty("languageConfidence", out var confidenceElement))
        {
            confidence = confidenceElement.ValueKind == JsonValueKind.Number && confidenceElement.TryGetDouble(out var c)
                ? c
                : throw new ModelOutputException("\"languageConfidence\" is not a number");
            if (confidence is < 0 or > 1)
            {
                throw new ModelOutputException($"language confidence {confidence} is outside 0..1");
            }
        }

        if (primary == "und")
        {
            confidence = 0;
        }

        return new ConversationAnalysis(summary, new SentimentResult(label, score), primary, confidence);
    }

    private static JsonDocument Parse(string? text)
    {
        var json = (text ?? string.Empty).Trim();
        var fence = CodeFence().Match(json);
        if (fence.Success)
        {
            json = fence.Groups[1].Value.Trim();
        }

        if (json.Length == 0)
        {
            throw new ModelOutputException("the reply is empty");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Strict);
        }
        catch (JsonException)
        {
            throw new ModelOutputException($"the reply is not JSON: \"{Shorten(json, 80)}\"");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ModelOutputException("the reply is not a JSON object");
        }

        return document;
    }

    private static List<KnowledgeSource> ReadSources(JsonElement sources, IReadOnlyList<KnowledgeHit> passages)
    {
        var result = new List<KnowledgeSource>();
        foreach (var item in sources.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new ModelOutputException("a source is not a string");
            }

            var id = item.GetString()!.Trim().Trim('[', ']');

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

    private static HandoffTrigger ReadTrigger(JsonElement root)
    {
        if (!root.TryGetProperty("trigger", out var trigger) || trigger.ValueKind == JsonValueKind.Null)
        {
            return HandoffTrigger.LowConfidence;
        }

        var value = trigger.ValueKind == JsonValueKind.String
            ? trigger.GetString()!.Trim().Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant()
            : throw new ModelOutputException("\"trigger\" is not a string");
        return value switch
        {
            "lowconfidence" => HandoffTrigger.LowConfidence,
            "customeraskedforhuman" => HandoffTrigger.CustomerAskedForHuman,
            "angrycustomer" => HandoffTrigger.AngryCustomer,
            _ => throw new ModelOutputException($"unknown handoff trigger \"{Shorten(value, 40)}\""),
        };
    }

    private static string RequiredString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new ModelOutputException($"\"{name}\" is missing or not a string");

    private static double RequiredNumber(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            ? number
            : throw new ModelOutputException($"\"{name}\" is missing or not a number");

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
