using Deskbridge.Agent.Embedded;

using static Deskbridge.Agent.Tests.AgentTestKit;

namespace Deskbridge.Agent.Tests;

public class EmbeddedSupportAgentTests
{
    [Theory]
    [InlineData("Can I talk to a person please?")]
    [InlineData("real agent")]
    [InlineData("I'd like to speak to someone")]
    [InlineData("human please")]
    [InlineData("OPERATOR")]
    [InlineData("Kann ich bitte mit einem Menschen sprechen?")]
    [InlineData("Je veux parler à un humain")]
    [InlineData("¿Puedo hablar con un agente?")]
    [InlineData("Ik wil een medewerker spreken")]
    public async Task Hands_off_when_customer_asks_for_a_human(string message)
    {
        var decision = await DemoAgent.DecideAsync(Ask(message), CancellationToken.None);

        var handoff = Assert.IsType<AgentHandoff>(decision);
        Assert.Equal(HandoffTrigger.CustomerAskedForHuman, handoff.Trigger);
        Assert.Contains("asked to talk to a person", handoff.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("This is ridiculous, I have been waiting for weeks")]
    [InlineData("I will file a chargeback if this isn't fixed today")]
    [InlineData("WHY HAS NOBODY ANSWERED MY EMAIL")]
    [InlineData("what the fuck is wrong with your shop")]
    public void Hands_off_when_customer_is_angry(string message)
    {
        var handoff = Assert.IsType<AgentHandoff>(Decide(message));

        Assert.Equal(HandoffTrigger.AngryCustomer, handoff.Trigger);
        Assert.StartsWith("The customer seems angry", handoff.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_words_alone_do_not_make_a_customer_angry()
    {
        var decision = Decide("I lost my password and the reset email is missing, what's wrong?");

        Assert.False(decision is AgentHandoff { Trigger: HandoffTrigger.AngryCustomer });
    }

    [Fact]
    public void Hands_off_on_repeated_complaints()
    {
        var request = Conversation(
            (Speaker.Customer, "My parcel is late and nobody told me anything, very disappointed"),
            (Speaker.Ai, "Here is what our help center says…"),
            (Speaker.Customer, "That did not help at all, still no parcel. Poor service."),
            (Speaker.Ai, "Here is what our help center says…"),
            (Speaker.Customer, "Still nothing. Disappointed."));

        var handoff = Assert.IsType<AgentHandoff>(DemoAgent.Decide(request));

        Assert.Equal(HandoffTrigger.AngryCustomer, handoff.Trigger);
        Assert.Contains("repeated complaints", handoff.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Answers_shipping_question_from_demo_knowledge_base_with_quote()
    {
        var answer = Assert.IsType<AgentAnswer>(Decide("How much does shipping cost?"));

        var source = answer.Sources[0];
        Assert.Equal("shipping-times-and-costs", source.ArticleId);
        Assert.Equal("Shipping times and costs", source.Title);
        Assert.Contains("Standard shipping costs €4.95 per order.", source.Quote, StringComparison.Ordinal);
        Assert.Contains(source.Quote, answer.Text, StringComparison.Ordinal);
        Assert.True(source.Score > 0);
    }

    [Fact]
    public void Answer_text_is_only_knowledge_base_sentences_and_fixed_framing()
    {
        var answer = Assert.IsType<AgentAnswer>(Decide("how do i reset my pasword"));

        var framing = answer.Text;
        foreach (var source in answer.Sources)
        {
            framing = framing.Replace(source.Quote, string.Empty, StringComparison.Ordinal).Replace(source.Title, string.Empty, StringComparison.Ordinal);
        }

        Assert.Equal(
            $"Here is what our help center says in \"\":\n\n\n\n{EmbeddedSupportAgent.ClosingSentence}",
            framing);
        var article = File.ReadAllText(Path.Combine(DemoAgent.Catalog.Root, "demo", answer.Sources[0].ArticleId + ".md"));
        Assert.Contains("click \"Forgot password?\" on the sign-in page", answer.Sources[0].Quote, StringComparison.Ordinal);
        Assert.Contains(answer.Sources[0].Quote.Split(". ")[0], article, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("do you sell cars")]
    [InlineData("what's the weather tomorrow?")]
    [InlineData("Can you recommend a good pizza place nearby?")]
    public void Hands_off_with_low_confidence_for_unrelated_question(string message)
    {
        var handoff = Assert.IsType<AgentHandoff>(Decide(message));

        Assert.Equal(HandoffTrigger.LowConfidence, handoff.Trigger);
        Assert.StartsWith("No knowledge-base article matched the question", handoff.Reason, StringComparison.Ordinal);
        Assert.Contains(message, handoff.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hi")]
    [InlineData("Hello there!")]
    [InlineData("good morning")]
    public void Greets_without_sources(string message)
    {
        var answer = Assert.IsType<AgentAnswer>(Decide(message));

        Assert.Equal(EmbeddedSupportAgent.GreetingAnswer, answer.Text);
        Assert.Empty(answer.Sources);
    }

    [Fact]
    public void Reads_a_short_follow_up_with_the_previous_customer_message()
    {
        var request = Conversation(
            (Speaker.Customer, "Which countries do you ship to?"),
            (Speaker.Ai, "Here is what our help center says…"),
            (Speaker.Customer, "and customs?"));

        var answer = Assert.IsType<AgentAnswer>(DemoAgent.Decide(request));

        Assert.Equal("international-shipping", answer.Sources[0].ArticleId);
        Assert.Contains("customs duties", answer.Sources[0].Quote, StringComparison.Ordinal);
    }

    [Fact]
    public void Hands_off_when_there_is_no_customer_message()
    {
        var handoff = Assert.IsType<AgentHandoff>(DemoAgent.Decide(Conversation((Speaker.Ai, "Hello!"))));

        Assert.Equal(HandoffTrigger.LowConfidence, handoff.Trigger);
    }

    [Theory]
    [InlineData("no-such-organization")]
    [InlineData("../demo")]
    public void Hands_off_as_unavailable_without_a_knowledge_base(string key)
    {
        var request = Ask("How much does shipping cost?") with { KnowledgeBaseKey = key };

        var handoff = Assert.IsType<AgentHandoff>(DemoAgent.Decide(request));

        Assert.Equal(HandoffTrigger.AgentUnavailable, handoff.Trigger);
    }

    [Fact]
    public void Decides_the_same_way_every_time_even_from_many_threads_at_once()
    {
        var request = Ask("can i return a gift card?");
        var first = Assert.IsType<AgentAnswer>(DemoAgent.Decide(request));

        // Its speed is measured by bench/Deskbridge.Bench (`micro`, AgentDecisionBenchmarks), not here.
        Parallel.For(0, 50, _ =>
        {
            var again = Assert.IsType<AgentAnswer>(DemoAgent.Decide(request));
            Assert.Equal(first.Text, again.Text);
            Assert.Equal(first.Sources, again.Sources);
        });
    }
}
