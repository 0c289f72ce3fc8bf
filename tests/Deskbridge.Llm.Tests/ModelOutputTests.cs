using Deskbridge.Agent;
using Deskbridge.Agent.Knowledge;
using Microsoft.Extensions.AI;

namespace Deskbridge.Llm.Tests;

public sealed class ModelOutputTests
{
    private static readonly IReadOnlyList<KnowledgeHit> Passages =
    [
        new(new KnowledgePassage("returns", "Returns", null, "Return within 30 days.", 0), 2.5, 1, [], []),
        new(new KnowledgePassage("shipping", "Shipping", "Costs", "Delivery costs 4.95.", 1), 1.5, 1, [], []),
    ];

    // The reply as Microsoft.Extensions.AI hands it over: a chat response typed with the requested shape.
    private static ChatResponse<T> Reply<T>(string text) =>
        new(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)), ModelOutputJson.Default.Options);

    private static AgentDecision ReadDecision(string text) => ModelOutput.ReadDecision(Reply<DecisionOutput>(text), Passages);

    private static ConversationAnalysis ReadAnalysis(string text) => ModelOutput.ReadAnalysis(Reply<AnalysisOutput>(text));

    [Theory]
    [InlineData("""{"action":"answer","answer":"Yes.","sources":["returns#0"]}""")]
    [InlineData("```json\n{\"action\":\"answer\",\"answer\":\"Yes.\",\"sources\":[\"returns#0\"]}\n```")]
    [InlineData("""{"action":"Answer","answer":" Yes. ","sources":["returns"],"confidence":0.9}""")]
    public void Reads_an_answer_with_its_sources(string reply)
    {
        var answer = Assert.IsType<AgentAnswer>(ReadDecision(reply));

        Assert.Equal("Yes.", answer.Text);
        Assert.Equal(new KnowledgeSource("returns", "Returns", "Return within 30 days.", 2.5), Assert.Single(answer.Sources));
    }

    [Theory]
    [InlineData("""{"action":"handoff","reason":"Angry.","trigger":"angry_customer"}""", HandoffTrigger.AngryCustomer)]
    [InlineData("""{"action":"handoff","reason":"Unsure."}""", HandoffTrigger.LowConfidence)]
    [InlineData("""{"action":"handoff","reason":"Asked.","trigger":"CustomerAskedForHuman"}""", HandoffTrigger.CustomerAskedForHuman)]
    public void Reads_a_handoff_with_its_trigger(string reply, HandoffTrigger trigger) =>
        Assert.Equal(trigger, Assert.IsType<AgentHandoff>(ReadDecision(reply)).Trigger);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Sure, you can return it.", "not JSON")]
    [InlineData("""{"action":"answer","answer":"Yes.","sources":["returns#0"],}""", "not JSON")]
    [InlineData("""["answer"]""", "not a JSON object")]
    [InlineData("""{"answer":"Yes.","sources":[]}""", "\"action\"")]
    [InlineData("""{"action":"escalate","reason":"x"}""", "unknown action")]
    [InlineData("""{"action":"answer","sources":[]}""", "\"answer\"")]
    [InlineData("""{"action":"answer","answer":"  ","sources":[]}""", "answer is empty")]
    [InlineData("""{"action":"answer","answer":"Yes."}""", "\"sources\"")]
    [InlineData("""{"action":"answer","answer":"Yes.","sources":[3]}""", "$.sources[0]")]
    [InlineData("""{"action":"answer","answer":"Yes.","sources":[null]}""", "a source is not a string")]
    [InlineData("""{"action":"answer","answer":"Yes.","sources":"returns#0"}""", "$.sources")]
    [InlineData("""{"action":"handoff","reason":"x","trigger":7}""", "$.trigger")]
    [InlineData("""{"Action":"answer","answer":"Yes.","sources":[]}""", "\"action\"")]
    [InlineData("""{"action":"answer","answer":"Yes.","sources":["warranty#0"]}""", "not one of the passages")]
    [InlineData("""{"action":"handoff"}""", "\"reason\"")]
    [InlineData("""{"action":"handoff","reason":"x","trigger":"agent_unavailable"}""", "unknown handoff trigger")]
    public void Rejects_a_decision_that_is_not_the_documented_shape(string reply, string expected)
    {
        var error = Assert.Throws<ModelOutputException>(() => ReadDecision(reply));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_an_analysis_and_keeps_the_primary_language_subtag()
    {
        var analysis = ReadAnalysis("""{"summary":"Late parcel.","sentiment":{"label":"Negative","score":-0.6},"language":"de-AT"}""");

        Assert.Equal(new ConversationAnalysis("Late parcel.", new SentimentResult(SentimentLabel.Negative, -0.6), "de", 1.0), analysis);
    }

    [Theory]
    [InlineData("""{"sentiment":{"label":"neutral","score":0},"language":"en"}""", "\"summary\"")]
    [InlineData("""{"summary":"x","language":"en"}""", "\"sentiment\"")]
    [InlineData("""{"summary":"x","sentiment":{"label":"angry","score":-0.5},"language":"en"}""", "unknown sentiment label")]
    [InlineData("""{"summary":"x","sentiment":{"label":"negative","score":-1.5},"language":"en"}""", "outside -1..1")]
    [InlineData("""{"summary":"x","sentiment":{"label":"negative","score":"-0.5"},"language":"en"}""", "$.sentiment.score")]
    [InlineData("""{"summary":"x","sentiment":{"label":"negative"},"language":"en"}""", "\"score\"")]
    [InlineData("""{"summary":"x","sentiment":"negative","language":"en"}""", "$.sentiment")]
    [InlineData("""{"summary":"x","sentiment":{"label":"neutral","score":0},"language":"en","languageConfidence":"high"}""", "$.languageConfidence")]
    [InlineData("""{"summary":"x","sentiment":{"label":"neutral","score":0},"language":"English"}""", "not a language code")]
    [InlineData("""{"summary":"x","sentiment":{"label":"neutral","score":0},"language":"en","languageConfidence":1.2}""", "outside 0..1")]
    public void Rejects_an_analysis_that_is_not_the_documented_shape(string reply, string expected)
    {
        var error = Assert.Throws<ModelOutputException>(() => ReadAnalysis(reply));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
