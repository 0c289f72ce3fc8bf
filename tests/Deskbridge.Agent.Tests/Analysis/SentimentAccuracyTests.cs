using Deskbridge.Agent.Analysis;
using Xunit.Abstractions;

namespace Deskbridge.Agent.Tests.Analysis;

/// <summary>
/// Measures <see cref="SentimentScorer"/> on 300 sentences of the UCI "Sentiment Labelled Sentences" set
/// (Data/uci-sentiment-sample.tsv, binary labels) against always guessing the majority class.
/// A neutral answer counts as wrong.
/// </summary>
public sealed class SentimentAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void Beats_the_majority_class_on_labelled_review_sentences()
    {
        var items = AnalysisData.ReadTsv("uci-sentiment-sample.tsv")
            .Select(i => (Source: i[0], Positive: i[1] == "1", Text: i[2]))
            .ToList();

        var results = items.Select(i => (i.Source, i.Positive, i.Text, Label: SentimentScorer.Score(i.Text).Label)).ToList();
        var scores = items.Select(i => (i.Positive, SentimentScorer.Score(i.Text).Score)).ToList();
        bool Correct((string Source, bool Positive, string Text, SentimentLabel Label) r) =>
            r.Label == (r.Positive ? SentimentLabel.Positive : SentimentLabel.Negative);

        var majorityPositive = items.Count(i => i.Positive) * 2 > items.Count;
        var baseline = (double)items.Count(i => i.Positive == majorityPositive) / items.Count;
        var accuracy = (double)results.Count(Correct) / results.Count;
        // The rule the `sentiment` npm package validates with on the same data: a score of 0 or more is positive.
        var binary = (double)scores.Count(s => (s.Score >= 0) == s.Positive) / scores.Count;
        var decided = results.Where(r => r.Label != SentimentLabel.Neutral).ToList();
        var decidedAccuracy = (double)decided.Count(Correct) / decided.Count;

        foreach (var group in results.GroupBy(r => r.Source))
        {
            output.WriteLine($"{group.Key}: {(double)group.Count(Correct) / group.Count():P1} of {group.Count()}");
        }

        output.WriteLine($"accuracy {accuracy:P1} (neutral counted wrong) vs majority-class baseline {baseline:P1}; "
            + $"{decided.Count} decided, {decidedAccuracy:P1} of them right; binary (score >= 0 is positive) {binary:P1}");

        // Measured: 60.0 % strict, 67.3 % binary (the `sentiment` package scores 60.3 % / 67.3 % on this sample), baseline 53.7 %.
        Assert.True(accuracy >= 0.57, $"accuracy {accuracy:P1}");
        Assert.True(decidedAccuracy >= 0.82, $"accuracy when decided {decidedAccuracy:P1}");
        Assert.True(binary >= baseline + 0.10, $"binary accuracy {binary:P1} vs baseline {baseline:P1}");
    }
}
