using System.Text;
using System.Text.RegularExpressions;

namespace Deskbridge.Agent.Analysis;

/// <summary>
/// An extractive summary for the handoff note: the customer's own words (the sentence of their first
/// substantive message that carries the request, and their latest message when it adds something) in
/// fixed framing, plus how many messages were exchanged. Nothing is paraphrased, so nothing is invented.
/// </summary>
public static partial class ConversationSummarizer
{
    public const int MaxLength = 400;
    private const int MaxQuoteLength = 160;

    private static readonly HashSet<string> Greetings = new(StringComparer.OrdinalIgnoreCase)
    {
        "hi", "hello", "hey", "hallo", "bonjour", "hola", "ola", "ciao", "hej", "hei", "thanks", "thank you", "ok", "okay", "yes", "no",
        "good morning", "good afternoon", "good evening", "guten tag", "moin", "salut", "buenos dias", "buongiorno", "goedemiddag",
    };

    [GeneratedRegex(@"(?<=[.!?。！？])\s+|\n+")]
    private static partial Regex SentenceBreak();

    public static string Summarize(IReadOnlyList<TranscriptEntry> transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var exchanged = transcript.Count(e => e.Speaker != Speaker.InternalNote);
        var customer = transcript
            .Where(e => e.Speaker == Speaker.Customer && !string.IsNullOrWhiteSpace(e.Text))
            .Select(e => e.Text.Trim())
            .ToList();
        var counts = $"{exchanged} {(exchanged == 1 ? "message" : "messages")} exchanged ({customer.Count} from the customer).";
        if (customer.Count == 0)
        {
            return $"The customer has not written anything yet; {counts}";
        }

        var firstIndex = customer.FindIndex(IsSubstantive);
        if (firstIndex < 0)
        {
            firstIndex = 0;
        }

        var summary = new StringBuilder($"Customer: \"{Quote(customer[firstIndex])}\"");
        var lastIndex = customer.Count - 1;
        if (lastIndex > firstIndex && IsSubstantive(customer[lastIndex]))
        {
            summary.Append($" Latest: \"{Quote(customer[lastIndex])}\"");
        }

        summary.Append(' ').Append(counts);
        return summary.Length <= MaxLength ? summary.ToString() : summary.ToString(0, MaxLength - 1) + "…";
    }

    /// <summary>More than a greeting or an acknowledgement: at least four words, or a question.</summary>
    private static bool IsSubstantive(string text)
    {
        var trimmed = text.Trim().TrimEnd('.', '!', ',', ' ');
        if (Greetings.Contains(trimmed))
        {
            return false;
        }

        return text.Contains('?', StringComparison.Ordinal) || text.Contains('？', StringComparison.Ordinal)
            || text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length >= 4
            || text.Length >= 20;
    }

    /// <summary>
    /// The customer's words, shortened: the first question when there is one (with the sentence before it
    /// when that fits, since it usually says what happened), otherwise the first sentences that fit.
    /// </summary>
    private static string Quote(string text)
    {
        var sentences = SentenceBreak().Split(text.Trim())
            .Select(s => s.Trim())
            .Where(s => s.Length > 0 && !Greetings.Contains(s.TrimEnd('.', '!', ',', ' ')))
            .ToList();
        if (sentences.Count == 0)
        {
            return Truncate(text.Trim());
        }

        var question = sentences.FindIndex(s => s.EndsWith('?') || s.EndsWith('？'));
        var start = question > 0 && sentences[question - 1].Length + sentences[question].Length + 1 <= MaxQuoteLength ? question - 1
            : Math.Max(question, 0);
        var picked = new StringBuilder(sentences[start]);
        for (var i = start + 1; i < sentences.Count && (question < 0 || i <= question); i++)
        {
            if (picked.Length + 1 + sentences[i].Length > MaxQuoteLength)
            {
                break;
            }

            picked.Append(' ').Append(sentences[i]);
        }

        return Truncate(picked.ToString());
    }

    private static string Truncate(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (flat.Length <= MaxQuoteLength)
        {
            return flat;
        }

        var cut = flat.LastIndexOf(' ', MaxQuoteLength - 1);
        return flat[..(cut > MaxQuoteLength / 2 ? cut : MaxQuoteLength - 1)] + "…";
    }
}
