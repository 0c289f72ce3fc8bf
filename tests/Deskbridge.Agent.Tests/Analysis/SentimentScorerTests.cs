using Deskbridge.Agent.Analysis;

namespace Deskbridge.Agent.Tests.Analysis;

public sealed class SentimentScorerTests
{
    [Fact]
    public void Scores_angry_complaint_as_negative()
    {
        var result = SentimentScorer.Score("This is ridiculous. Third time I'm asking and your useless support still hasn't fixed it. Terrible service!");

        Assert.Equal(SentimentLabel.Negative, result.Label);
        Assert.True(result.Score < -0.5, $"score {result.Score}");
    }

    [Fact]
    public void Scores_thanks_as_positive()
    {
        var result = SentimentScorer.Score("Great, that worked perfectly. Thank you so much for the quick help!");

        Assert.Equal(SentimentLabel.Positive, result.Label);
        Assert.True(result.Score > 0.5, $"score {result.Score}");
    }

    [Fact]
    public void Scores_a_plain_question_as_neutral()
    {
        Assert.Equal(SentimentLabel.Neutral, SentimentScorer.Score("Can you help me change the delivery address of order 1042, please?").Label);
    }

    [Fact]
    public void Negation_turns_praise_negative()
    {
        Assert.Equal(SentimentLabel.Positive, SentimentScorer.Score("The new version is good.").Label);
        Assert.Equal(SentimentLabel.Negative, SentimentScorer.Score("The new version is not good.").Label);
    }

    [Fact]
    public void Not_working_is_negative()
    {
        Assert.Equal(SentimentLabel.Negative, SentimentScorer.Score("The app still doesn't work after the update.").Label);
    }

    [Fact]
    public void Negated_complaint_is_not_praise()
    {
        Assert.Equal(SentimentLabel.Neutral, SentimentScorer.Score("No problem, it is not bad.").Label);
    }

    [Fact]
    public void Intensifiers_strengthen_and_downtoners_weaken()
    {
        var plain = SentimentScorer.RawScore("I am disappointed.");
        var strong = SentimentScorer.RawScore("I am extremely disappointed.");
        var weak = SentimentScorer.RawScore("I am slightly disappointed.");

        Assert.True(strong < plain && plain < weak && weak < 0, $"{strong} < {plain} < {weak} < 0");
    }

    [Fact]
    public void The_clause_after_but_decides()
    {
        Assert.Equal(SentimentLabel.Negative, SentimentScorer.Score("The agent was nice but the refund is still missing and I am angry.").Label);
    }

    [Fact]
    public void Later_messages_weigh_more()
    {
        var result = SentimentScorer.Score(["This is terrible, my order is lost.", "Oh great, it just arrived. Thank you, wonderful!"]);

        Assert.Equal(SentimentLabel.Positive, result.Label);
    }

    [Fact]
    public void Score_stays_within_minus_one_and_one()
    {
        var result = SentimentScorer.Score(string.Concat(Enumerable.Repeat("awful horrible terrible disaster!!! ", 50)));

        Assert.InRange(result.Score, -1, 1);
        Assert.Equal(SentimentLabel.Negative, result.Label);
    }
}
