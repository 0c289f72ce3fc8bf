using Deskbridge.Agent.Knowledge;
using Deskbridge.Agent.Sentiment;

namespace Deskbridge.Agent.Analysis;

/// <summary>
/// Sentiment of customer messages from the AFINN-165 lexicon with the VADER rules on top (Hutto and
/// Gilbert, 2014): a negation within three words flips and dampens a word ("not good", "not bad"),
/// ("not bad" only cancels the word), intensifiers and downtoners scale it ("very", "slightly"), words after "but" count more than words
/// before it, capitals and exclamation marks amplify. The sum is squashed into -1..1 as VADER's compound
/// score is, and the label uses VADER's ±0.05 thresholds. English first; a few common words of the other
/// big support languages are scored too.
/// </summary>
public static class SentimentScorer
{
    /// <summary>Scores at or beyond this distance from 0 are positive or negative; between them, neutral.</summary>
    public const double NeutralBand = 0.05;

    private const double NegationFactor = -0.74;
    private const double BoostFactor = 1.4;
    private const double DampenFactor = 0.6;
    private const double CapitalsFactor = 1.4;
    private const double Normalization = 15;

    /// <summary>AFINN words that in a support chat are politeness or describe the request, not a feeling.</summary>
    private static readonly HashSet<string> Neutralized = new(StringComparer.Ordinal)
    {
        "help", "helps", "please", "want", "wants", "wanted", "free", "no", "yes", "ok", "okay", "pretty", "kind", "hope", "hoping",
        "stop", "agree", "support", "supported", "matter", "care", "clear", "share", "interested",
    };

    /// <summary>When these come just before "like", it is a comparison or a wish, not a liking.</summary>
    private static readonly HashSet<string> LikeAsWish = new(StringComparer.Ordinal)
    {
        "would", "i'd", "id", "we'd", "looks", "look", "seems", "seem", "feel", "feels", "something", "just", "sounds", "more", "much",
    };

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "nobody", "nothing", "none", "nowhere", "neither", "nor", "without", "cannot", "dont", "doesnt", "didnt",
        "isnt", "wasnt", "arent", "werent", "cant", "couldnt", "wont", "wouldnt", "shouldnt", "havent", "hasnt", "hadnt", "aint",
        "nicht", "kein", "keine", "keinen", "nie", "niemals", "pas", "jamais", "nunca", "nao", "non", "niet", "geen", "nooit", "inte", "ikke",
    };

    private static readonly HashSet<string> Boosters = new(StringComparer.Ordinal)
    {
        "very", "really", "so", "too", "extremely", "totally", "absolutely", "completely", "utterly", "incredibly", "super", "highly",
        "most", "truly", "seriously", "deeply", "hugely", "terribly", "awfully", "especially", "exceptionally", "remarkably", "quite",
        "sehr", "wirklich", "total", "tres", "vraiment", "muy", "realmente", "molto", "muito", "erg", "heel",
    };

    private static readonly HashSet<string> Dampeners = new(StringComparer.Ordinal)
    {
        "slightly", "somewhat", "barely", "hardly", "kinda", "sorta", "marginally", "partly", "little", "bit", "fairly", "almost", "rather",
    };

    /// <summary>Clearly positive or negative words in German, French, Spanish, Portuguese, Italian and Dutch (accents folded).</summary>
    private static readonly Dictionary<string, int> OtherLanguages = new(StringComparer.Ordinal)
    {
        ["danke"] = 2, ["super"] = 3, ["toll"] = 3, ["prima"] = 2, ["perfekt"] = 3, ["gut"] = 2, ["zufrieden"] = 2, ["schlecht"] = -3,
        ["schrecklich"] = -3, ["enttauscht"] = -2, ["argerlich"] = -2, ["wutend"] = -3, ["unverschamt"] = -3, ["katastrophe"] = -3,
        ["merci"] = 2, ["genial"] = 3, ["parfait"] = 3, ["excellent"] = 3, ["content"] = 2, ["mauvais"] = -3, ["nul"] = -3,
        ["decu"] = -2, ["furieux"] = -3, ["honteux"] = -3, ["inacceptable"] = -3, ["gracias"] = 2, ["excelente"] = 3, ["perfecto"] = 3,
        ["bueno"] = 2, ["malo"] = -3, ["pesimo"] = -3, ["terrible"] = -3, ["horrible"] = -3, ["enfadado"] = -3, ["inaceptable"] = -3,
        ["obrigado"] = 2, ["obrigada"] = 2, ["otimo"] = 3, ["pessimo"] = -3, ["ruim"] = -3, ["grazie"] = 2, ["ottimo"] = 3,
        ["bedankt"] = 2, ["geweldig"] = 3, ["slecht"] = -3, ["teleurgesteld"] = -2, ["boos"] = -3,
    };

    private static readonly string[] PositiveEmoticons =
        [":)", ":-)", ":D", ";)", "<3", "\u263A", "\u2764", "\U0001F600", "\U0001F601", "\U0001F603", "\U0001F604", "\U0001F60A",
         "\U0001F60D", "\U0001F642", "\U0001F44D", "\U0001F64F", "\U0001F389"];

    private static readonly string[] NegativeEmoticons =
        [":(", ":-(", ":'(", ">:(", "\U0001F620", "\U0001F621", "\U0001F622", "\U0001F62D", "\U0001F61E", "\U0001F61F", "\U0001F641",
         "\U0001F44E", "\U0001F92C", "\U0001F624"];

    /// <summary>Sentiment of several messages, oldest first; later messages weigh more (up to twice the first).</summary>
    public static SentimentResult Score(IReadOnlyList<string> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var total = 0.0;
        for (var i = 0; i < messages.Count; i++)
        {
            var weight = messages.Count == 1 ? 1.0 : 1.0 + ((double)i / (messages.Count - 1));
            total += weight * RawScore(messages[i]);
        }

        return ToResult(total);
    }

    public static SentimentResult Score(string message) => ToResult(RawScore(message));

    /// <summary>The unbounded VADER-style valence sum of one message (0 when nothing scores).</summary>
    public static double RawScore(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var words = TextNormalizer.Words(message);
        var plain = words.Select(w => w.Replace("'", "", StringComparison.Ordinal)).ToList();
        var rawWords = message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var mixedCase = message.Any(char.IsLower);
        var butIndex = plain.FindLastIndex(w => w is "but" or "however" or "aber" or "mais" or "pero" or "ma" or "maar");
        var valences = new double[words.Count];

        for (var i = 0; i < words.Count; i++)
        {
            var (value, length) = Lookup(words, i);
            if (value == 0 && FailureVerbs.Contains(words[i]) && NegatedAt(plain, i))
            {
                valences[i] = -2; // "it doesn't work", "still not working": the commonest complaint in support
                continue;
            }

            if (value == 0)
            {
                i += length - 1;
                continue;
            }

            if (words[i] is "like" or "likes" && i > 0 && LikeAsWish.Contains(plain[i - 1]))
            {
                continue;
            }

            double valence = value;
            if (mixedCase && rawWords.Any(r => r.Length > 1 && r.All(c => !char.IsLetter(c) || char.IsUpper(c))
                && TextNormalizer.Normalize(r).Trim('!', '.', ',', '?') == words[i]))
            {
                valence *= CapitalsFactor;
            }

            for (var back = 1; back <= 3 && i - back >= 0; back++)
            {
                var previous = plain[i - back];
                if (back <= 2 && Boosters.Contains(previous))
                {
                    valence *= BoostFactor;
                }
                else if (back <= 2 && Dampeners.Contains(previous))
                {
                    valence *= DampenFactor;
                }
                else if (Negations.Contains(previous) || IsContraction(previous))
                {
                    // "not good" turns negative; "not bad", "don't waste", "no problem" are no praise either.
                    valence = valence > 0 ? valence * NegationFactor : 0;
                    break;
                }
            }

            valences[i] = valence;
            i += length - 1;
        }

        if (butIndex >= 0)
        {
            for (var i = 0; i < valences.Length; i++)
            {
                valences[i] *= i < butIndex ? 0.5 : 1.5;
            }
        }

        var sum = valences.Sum();
        sum += 2 * (CountOf(message, PositiveEmoticons) - CountOf(message, NegativeEmoticons));
        if (sum != 0)
        {
            var exclamations = Math.Min(4, message.Count(c => c == '!'));
            sum += Math.Sign(sum) * exclamations * 0.3;
        }

        return sum;
    }

    private static SentimentResult ToResult(double raw)
    {
        var score = Math.Round(raw / Math.Sqrt((raw * raw) + Normalization), 3);
        var label = score >= NeutralBand ? SentimentLabel.Positive : score <= -NeutralBand ? SentimentLabel.Negative : SentimentLabel.Neutral;
        return new SentimentResult(label, score);
    }

    /// <summary>The longest AFINN phrase (up to three words) starting at <paramref name="i"/>, or a single word of another language.</summary>
    private static (int Value, int Length) Lookup(List<string> words, int i)
    {
        for (var length = Math.Min(3, words.Count - i); length >= 2; length--)
        {
            var phrase = string.Join(' ', words.Skip(i).Take(length));
            if (AfinnLexicon.Default.ScoreOf(phrase) is { } phraseScore)
            {
                return (phraseScore, length);
            }
        }

        var word = words[i];
        var bare = word.Replace("'", "", StringComparison.Ordinal);
        if (Negations.Contains(bare) || IsContraction(bare) || Neutralized.Contains(word))
        {
            return (0, 1);
        }

        return (AfinnLexicon.Default.ScoreOf(word) ?? OtherLanguages.GetValueOrDefault(word), 1);
    }

    private static readonly HashSet<string> FailureVerbs = new(StringComparer.Ordinal)
    {
        "work", "works", "worked", "working", "function", "functions", "functioning", "arrive", "arrived", "load", "loads", "open", "opens",
    };

    private static bool NegatedAt(List<string> plain, int i)
    {
        for (var back = 1; back <= 3 && i - back >= 0; back++)
        {
            if (Negations.Contains(plain[i - back]) || IsContraction(plain[i - back]))
            {
                return true;
            }
        }

        return false;
    }

    private static int CountOf(string text, string[] needles)
    {
        var count = 0;
        foreach (var needle in needles)
        {
            for (var at = text.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = text.IndexOf(needle, at + needle.Length, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsContraction(string word) => word is "dont" or "doesnt" or "didnt" or "isnt" or "wasnt" or "arent" or "werent"
        or "cant" or "couldnt" or "wont" or "wouldnt" or "shouldnt" or "havent" or "hasnt" or "hadnt" or "aint" or "mustnt" or "neednt";
}
