using Lingua;

namespace Deskbridge.Agent.Analysis;

/// <param name="Language">ISO 639-1 code, or <see cref="LanguageDetector.Undetermined"/>.</param>
/// <param name="Confidence">From 0 (a guess) to 1 (certain).</param>
public sealed record LanguageGuess(string Language, double Confidence);

/// <summary>
/// Tells the language of a text offline with Lingua (SearchPioneer.Lingua) in its low accuracy mode,
/// restricted to <see cref="SupportedLanguages"/>: on our test set it is more accurate than the trigram
/// profiles it replaced, at a fraction of the memory of its high accuracy mode (figures in Analysis/README.md).
/// Models load lazily, per language, on first use, and Lingua shares them between threads.
/// </summary>
public sealed class LanguageDetector
{
    public const string Undetermined = "und";

    /// <summary>
    /// The languages named, ISO 639-1. The build copies their models (Deskbridge.Agent.csproj, LinguaLanguages);
    /// the two lists must agree. hu, sk, bg, ca and hr are there so that their texts are not forced into a neighbour.
    /// </summary>
    public static readonly IReadOnlyList<string> SupportedLanguages =
    [
        "en", "es", "fr", "de", "pt", "it", "nl", "pl", "ru", "uk", "tr", "ar", "zh", "ja", "ko", "hi", "sv", "da", "nb", "fi",
        "cs", "ro", "el", "he", "id", "vi", "th", "hu", "sk", "bg", "ca", "hr",
    ];

    /// <summary>Letters needed before a guess is made.</summary>
    private const int MinimumLetters = 4;

    /// <summary>Letters from which a text counts as long enough to trust Lingua's probability as it is.</summary>
    private const double FullConfidenceLetters = 40;

    /// <summary>Lingua has only character (unigram) models for the languages it cuts into single logograms.</summary>
    private static readonly HashSet<string> UnigramOnlyLanguages = ["zh", "ja", "ko"];

    private static readonly Lazy<LanguageDetector> LazyDefault =
        new(() => new LanguageDetector(Path.Combine(AppContext.BaseDirectory, "Lingua", "LanguageModels")));

    private readonly Lingua.LanguageDetector _lingua;

    /// <param name="modelsDirectory">Lingua caches models per language for the whole process, so only the first directory read counts.</param>
    internal LanguageDetector(string modelsDirectory)
    {
        // Lingua treats a missing model file as an empty model and carries on, silently guessing worse
        // (measured: 89 % instead of 98 % with the uni- and bigrams missing); fail at start-up instead.
        var missing = SupportedLanguages
            .SelectMany(code => UnigramOnlyLanguages.Contains(code)
                ? [Path.Combine(code, "unigrams.json.br")]
                : new[] { "unigrams", "bigrams", "trigrams" }.Select(n => Path.Combine(code, $"{n}.json.br")))
            .Where(file => !File.Exists(Path.Combine(modelsDirectory, file)))
            .ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Lingua language models missing under {modelsDirectory}: {string.Join(", ", missing)}. " +
                "The build copies them from the SearchPioneer.Lingua package (see Deskbridge.Agent.csproj).");
        }

        var languages = SupportedLanguages
            .Select(code => LanguageInfo.GetByIsoCode6391(Enum.Parse<IsoCode6391>(code, ignoreCase: true)))
            .ToArray();

        // Low accuracy mode reads trigram models only (falling back to bi- and unigrams): 98.6 % / 98.0 % on our test set
        // against 99.5 % / 99.0 % for high accuracy mode, which needs about 1.2 GB of memory and 12 s to load.
        _lingua = LanguageDetectorBuilder.FromLanguages(languages)
            .WithLowAccuracyMode()
            .WithLanguageModelsDirectory(modelsDirectory)
            .Build();
    }

    public static LanguageDetector Default => LazyDefault.Value;

    /// <summary>The languages this detector can name, ISO 639-1.</summary>
    public IReadOnlyList<string> Languages => [.. SupportedLanguages.Order(StringComparer.Ordinal)];

    public LanguageGuess Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var letters = text.Count(char.IsLetter);
        if (letters < MinimumLetters)
        {
            return new LanguageGuess(Undetermined, 0);
        }

        var (language, probability) = _lingua.ComputeLanguageConfidenceValues(text).MaxBy(v => v.Value);
        if (language == Language.Unknown || probability <= 0)
        {
            return new LanguageGuess(Undetermined, 0);
        }

        var code = LanguageInfo.IsoCode6391(language).ToString().ToLowerInvariant();

        // Lingua's probabilities only compare our languages with each other, and its rule engine answers 1.0 from
        // a single telling letter; a few words deserve less trust than a paragraph.
        var lengthFactor = Math.Min(1.0, letters / FullConfidenceLetters);

        // Arabic and Devanagari script are shared with languages outside our set (fa, ur, mr, ne), which are named ar and hi.
        var shared = code is "ar" or "hi" ? 0.9 : 1.0;
        return new LanguageGuess(code, Math.Round(probability * lengthFactor * shared, 3));
    }
}
