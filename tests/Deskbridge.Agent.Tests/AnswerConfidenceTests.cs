namespace Deskbridge.Agent.Tests;

/// <summary>G1: the embedded agent says how sure it is, so send policies can hold weak answers back.</summary>
public sealed class AnswerConfidenceTests
{
    [Fact]
    public void A_question_the_article_covers_whole_is_answered_with_full_confidence()
    {
        var answer = Assert.IsType<AgentAnswer>(AgentTestKit.Decide("How long does standard shipping take?"));
        Assert.Equal(1.0, answer.Confidence);
    }

    [Fact]
    public void A_question_the_article_covers_in_part_is_answered_with_less_confidence()
    {
        var answer = Assert.IsType<AgentAnswer>(AgentTestKit.Decide("Do you ship to Canada and how much are the customs fees for my sofa?"));
        Assert.InRange(answer.Confidence, 0.45, 0.7);
    }
}
