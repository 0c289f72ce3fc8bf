using System.Diagnostics;
using Deskbridge.Agent.Analysis;
using Xunit.Abstractions;

namespace Deskbridge.Agent.Tests.Analysis;

/// <summary>
/// Measures the detector on translated UI messages of Uppy (Data/uppy-locales-sample.tsv), text of another
/// kind than Lingua's models (general corpora) and the trigram profiles it replaced (the UDHR) were built from. Floors are the measured figures less one
/// sample, and never below the replaced profiles' figures (96.8 % / 97.6 %), which Lingua had to match to replace them.
/// </summary>
public sealed class LanguageDetectionAccuracyTests(ITestOutputHelper output)
{
    /// <summary>The 20 most common support languages of the brief (Norwegian as Bokmål).</summary>
    private static readonly string[] TopTwenty =
        ["en", "es", "fr", "de", "pt", "it", "nl", "pl", "ru", "uk", "tr", "ar", "zh", "ja", "ko", "hi", "sv", "da", "nb", "fi"];

    [Fact]
    public void Identifies_held_out_translations_of_the_supported_languages()
    {
        var samples = AnalysisData.ReadTsv("uppy-locales-sample.tsv");
        var clock = Stopwatch.StartNew();
        var results = samples
            .Select(s => (Expected: s[0], Text: s[1], Guess: LanguageDetector.Default.Detect(s[1])))
            .ToList();
        output.WriteLine($"{samples.Count} detections in {clock.ElapsedMilliseconds} ms, the first models' loading included");

        foreach (var group in results.GroupBy(r => r.Expected))
        {
            var correct = group.Count(r => r.Guess.Language == r.Expected);
            var wrong = group.Where(r => r.Guess.Language != r.Expected).Select(r => r.Guess.Language);
            output.WriteLine($"{group.Key}: {correct}/{group.Count()} ({100.0 * correct / group.Count():F0}%){(correct < group.Count() ? " wrong: " + string.Join(",", wrong) : "")}");
        }

        var top = results.Where(r => TopTwenty.Contains(r.Expected)).ToList();
        var topAccuracy = (double)top.Count(r => r.Guess.Language == r.Expected) / top.Count;
        var overall = (double)results.Count(r => r.Guess.Language == r.Expected) / results.Count;
        output.WriteLine($"top 20 languages: {topAccuracy:P1} of {top.Count}; all {results.Select(r => r.Expected).Distinct().Count()} languages: {overall:P1} of {results.Count}");
        foreach (var miss in results.Where(r => r.Guess.Language != r.Expected))
        {
            output.WriteLine($"  {miss.Expected} -> {miss.Guess.Language} ({miss.Guess.Confidence}): {miss.Text}");
        }

        // Measured (Lingua, low accuracy mode): 98.6 % on the top 20 (214 of 217), 98.0 % on all 27 (291 of 297); Romanian is the weakest at 9/12.
        Assert.True(topAccuracy >= 0.98, $"top-20 accuracy {topAccuracy:P1}");
        Assert.True(overall >= 0.976, $"overall accuracy {overall:P1}");
        Assert.All(results.GroupBy(r => r.Expected), group =>
            Assert.True(group.Count(r => r.Guess.Language == r.Expected) >= 0.7 * group.Count(), $"{group.Key} below 70 %"));
    }
}
