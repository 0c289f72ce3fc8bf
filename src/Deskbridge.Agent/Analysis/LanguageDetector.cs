using System.Globalization;
using System.Text;

namespace Deskbridge.Agent.Analysis;

/// <param name="Language">ISO 639-1 code, or <see cref="LanguageDetector.Undetermined"/>.</param>
/// <param name="Confidence">From 0 (a guess) to 1 (certain).</param>
public sealed record LanguageGuess(string Language, double Confidence);

/// <summary>
/// Tells the language of a text offline. Languages with a script of their own (Arabic, Hebrew, Greek,
/// Thai, Devanagari, Hangul, kana, Han) are told by script; Latin and Cyrillic texts are scored against
/// character-trigram profiles (a naive Bayes model, as in CLD and franc) built from the Universal
/// Declaration of Human Rights by tests/Deskbridge.Agent.Tests/Analysis/Tools/build-language-profiles.mjs.
/// Immutable once built, so one instance serves every thread.
/// </summary>
public sealed class LanguageDetector
{
    public const string Undetermined = "und";

    private const string ResourceName = "Deskbridge.Agent.language-profiles.tsv";

    /// <summary>Letters needed before a guess is made.</summary>
    private const int MinimumLetters = 4;

    /// <summary>Add-k smoothing and the assumed trigram vocabulary of a language.</summary>
    private const double Smoothing = 0.5;
    private const double Vocabulary = 6000;

    private static readonly Lazy<LanguageDetector> LazyDefault = new(LoadEmbedded);

    private readonly string[] _languages;
    private readonly Script[] _scripts;
    private readonly double[] _unseen;
    private readonly Dictionary<string, double[]> _logProbabilities;

    /// <param name="profiles">Per ISO 639-1 code: trigram counts (words padded with spaces) and the total count.</param>
    public LanguageDetector(IReadOnlyDictionary<string, (IReadOnlyDictionary<string, int> Counts, int Total)> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        _languages = [.. profiles.Keys.Order(StringComparer.Ordinal)];
        _scripts = new Script[_languages.Length];
        _unseen = new double[_languages.Length];
        _logProbabilities = new Dictionary<string, double[]>(StringComparer.Ordinal);

        for (var i = 0; i < _languages.Length; i++)
        {
            var (counts, total) = profiles[_languages[i]];
            var denominator = total + (Smoothing * Vocabulary);
            _unseen[i] = Math.Log(Smoothing / denominator);
            _scripts[i] = DominantScript(string.Concat(counts.Keys)).Script;
        }

        for (var i = 0; i < _languages.Length; i++)
        {
            var (counts, total) = profiles[_languages[i]];
            var denominator = total + (Smoothing * Vocabulary);
            foreach (var (trigram, count) in counts)
            {
                if (!_logProbabilities.TryGetValue(trigram, out var row))
                {
                    row = [.. _unseen];
                    _logProbabilities[trigram] = row;
                }

                row[i] = Math.Log((count + Smoothing) / denominator);
            }
        }
    }

    public static LanguageDetector Default => LazyDefault.Value;

    /// <summary>The languages this detector can name, ISO 639-1.</summary>
    public IReadOnlyList<string> Languages => [.. _languages.Concat(ScriptLanguages.Values).Distinct().Order(StringComparer.Ordinal)];

    public LanguageGuess Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (script, share, letters) = DominantScript(text);
        if (letters < MinimumLetters || script == Script.Other)
        {
            return new LanguageGuess(Undetermined, 0);
        }

        if (script == Script.Han && CountScript(text, Script.Kana) > 0)
        {
            return new LanguageGuess("ja", Math.Round(share, 3));
        }

        if (ScriptLanguages.TryGetValue(script, out var language))
        {
            // Arabic and Devanagari script are shared with languages we have no profile for (fa, ur, mr, ne).
            var shared = script is Script.Arabic or Script.Devanagari ? 0.9 : 1.0;
            return new LanguageGuess(language, Math.Round(share * shared, 3));
        }

        return ScoreTrigrams(text, script, share);
    }

    private LanguageGuess ScoreTrigrams(string text, Script script, double share)
    {
        var candidates = Enumerable.Range(0, _languages.Length).Where(i => _scripts[i] == script).ToArray();
        if (candidates.Length == 0)
        {
            return new LanguageGuess(Undetermined, 0);
        }

        var scores = new double[candidates.Length];
        var trigrams = 0;
        foreach (var trigram in Trigrams(text))
        {
            trigrams++;
            var row = _logProbabilities.GetValueOrDefault(trigram);
            for (var c = 0; c < candidates.Length; c++)
            {
                scores[c] += row is null ? _unseen[candidates[c]] : row[candidates[c]];
            }
        }

        if (trigrams == 0)
        {
            return new LanguageGuess(Undetermined, 0);
        }

        // Naive Bayes posteriors are overconfident; compare average log-likelihoods per trigram instead,
        // and trust short texts less.
        var best = scores.Max();
        var weights = scores.Select(s => Math.Exp((s - best) * 8 / trigrams)).ToArray();
        var winner = Array.IndexOf(scores, best);
        var posterior = weights[winner] / weights.Sum();
        var lengthFactor = Math.Min(1.0, trigrams / 40.0);
        return new LanguageGuess(_languages[candidates[winner]], Math.Round(posterior * lengthFactor * share, 3));
    }

    /// <summary>
    /// Character trigrams exactly as the profile generator makes them: NFC, lower case, runs of anything
    /// but letters and combining marks become word breaks, each word padded with one space on both sides.
    /// </summary>
    public static IEnumerable<string> Trigrams(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormC))
        {
            if (IsWordCharacter(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            foreach (var trigram in WordTrigrams(word))
            {
                yield return trigram;
            }

            word.Clear();
        }

        foreach (var trigram in WordTrigrams(word))
        {
            yield return trigram;
        }
    }

    private static IEnumerable<string> WordTrigrams(StringBuilder word)
    {
        if (word.Length == 0)
        {
            return [];
        }

        var padded = $" {word} ";
        var result = new string[padded.Length - 2];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = padded.Substring(i, 3);
        }

        return result;
    }

    private static bool IsWordCharacter(char c) => char.IsLetter(c) || CharUnicodeInfo.GetUnicodeCategory(c)
        is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private enum Script
    {
        Other,
        Latin,
        Cyrillic,
        Greek,
        Arabic,
        Hebrew,
        Devanagari,
        Thai,
        Hangul,
        Kana,
        Han,
    }

    private static readonly Dictionary<Script, string> ScriptLanguages = new()
    {
        [Script.Greek] = "el",
        [Script.Arabic] = "ar",
        [Script.Hebrew] = "he",
        [Script.Devanagari] = "hi",
        [Script.Thai] = "th",
        [Script.Hangul] = "ko",
        [Script.Kana] = "ja",
        [Script.Han] = "zh",
    };

    private static Script ScriptOf(char c) => c switch
    {
        >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '\u00C0' and <= '\u024F' or >= '\u1E00' and <= '\u1EFF' => Script.Latin,
        >= '\u0400' and <= '\u052F' => Script.Cyrillic,
        >= '\u0370' and <= '\u03FF' or >= '\u1F00' and <= '\u1FFF' => Script.Greek,
        >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF' => Script.Arabic,
        >= '\u0590' and <= '\u05FF' or >= '\uFB1D' and <= '\uFB4F' => Script.Hebrew,
        >= '\u0900' and <= '\u097F' => Script.Devanagari,
        >= '\u0E00' and <= '\u0E7F' => Script.Thai,
        >= '\u1100' and <= '\u11FF' or >= '\u3130' and <= '\u318F' or >= '\uAC00' and <= '\uD7AF' => Script.Hangul,
        >= '\u3040' and <= '\u30FF' or >= '\u31F0' and <= '\u31FF' or >= '\uFF66' and <= '\uFF9F' => Script.Kana,
        >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF' => Script.Han,
        _ => Script.Other,
    };

    private static int CountScript(string text, Script script) => text.Count(c => ScriptOf(c) == script);

    /// <summary>The script most letters are in, its share of the letters, and the number of letters.</summary>
    private static (Script Script, double Share, int Letters) DominantScript(string text)
    {
        var counts = new int[Enum.GetValues<Script>().Length];
        var letters = 0;
        foreach (var c in text)
        {
            if (!char.IsLetter(c))
            {
                continue;
            }

            letters++;
            counts[(int)ScriptOf(c)]++;
        }

        if (letters == 0)
        {
            return (Script.Other, 0, 0);
        }

        // Japanese mixes kana with Han; Han with any kana is Japanese, decided in Detect.
        counts[(int)Script.Han] += counts[(int)Script.Kana];
        counts[(int)Script.Kana] = 0;
        var best = Array.IndexOf(counts, counts.Max());
        return ((Script)best, (double)counts[best] / letters, letters);
    }

    private static LanguageDetector LoadEmbedded()
    {
        using var stream = typeof(LanguageDetector).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new LanguageDetector(ParseProfiles(reader));
    }

    /// <summary>Reads the generator's TSV: <c>language, trigram (spaces as _), count</c>, with a <c>#total</c> row per language.</summary>
    public static IReadOnlyDictionary<string, (IReadOnlyDictionary<string, int> Counts, int Total)> ParseProfiles(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var totals = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split('\t');
            if (line.StartsWith('#') || parts.Length != 3 || !int.TryParse(parts[2], CultureInfo.InvariantCulture, out var count))
            {
                continue;
            }

            if (parts[1] == "#total")
            {
                totals[parts[0]] = count;
                continue;
            }

            if (!counts.TryGetValue(parts[0], out var profile))
            {
                profile = new Dictionary<string, int>(StringComparer.Ordinal);
                counts[parts[0]] = profile;
            }

            profile[parts[1].Replace('_', ' ')] = count;
        }

        return counts.ToDictionary(
            p => p.Key,
            p => ((IReadOnlyDictionary<string, int>)p.Value, totals.GetValueOrDefault(p.Key, p.Value.Values.Sum())),
            StringComparer.Ordinal);
    }
}
