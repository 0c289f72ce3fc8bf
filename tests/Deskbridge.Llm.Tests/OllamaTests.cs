using Deskbridge.Agent;

namespace Deskbridge.Llm.Tests;

public sealed class OllamaTests : IAsyncLifetime, IDisposable
{
    private readonly TestKnowledge _knowledge = new();
    private FakeModelServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _knowledge.Dispose();

    private LlmSupportAgent Agent()
    {
        var options = new LlmOptions
        {
            Provider = LlmProvider.Ollama,
            BaseUrl = _server.BaseUri.ToString(),
            Model = "llama3.2",
            Timeout = TimeSpan.FromSeconds(5),
            MaxRetries = 2,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        };
        return new LlmSupportAgent(LlmChatClientFactory.Create(options), _knowledge.Catalog, options);
    }

    [Fact]
    public async Task Answers_through_Ollamas_chat_endpoint()
    {
        _server.Script(Reply.Json(new { action = "answer", answer = "Standard delivery takes 3 to 5 working days.", sources = new[] { "shipping#0" } }));

        var decision = await Agent().DecideAsync(TestKnowledge.Ask("How long does delivery take?"), CancellationToken.None);

        var answer = Assert.IsType<AgentAnswer>(decision);
        Assert.Equal("shipping", Assert.Single(answer.Sources).ArticleId);
        var received = Assert.Single(_server.Requests);
        Assert.Equal("/api/chat", received.Path);
        Assert.Equal("llama3.2", received.Model);
        Assert.Null(received.Authorization);
        // Ollama's structured output: the JSON schema itself as "format".
        Assert.Equal("object", received.Body["format"]?["type"]?.GetValue<string>());
        Assert.NotNull(received.Body["format"]?["properties"]?["action"]);
        Assert.Contains("How long does delivery take?", received.AllText, StringComparison.Ordinal);
        Assert.Contains(TestKnowledge.ShippingFact, received.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_when_Ollama_fails_then_answers()
    {
        _server.Script(Reply.Status(500, "model runner crashed"), Reply.Json(new { action = "handoff", reason = "Not covered.", trigger = "low_confidence" }));

        var decision = await Agent().DecideAsync(TestKnowledge.Ask("Do you sell bicycles?"), CancellationToken.None);

        Assert.Equal(new AgentHandoff("Not covered.", HandoffTrigger.LowConfidence), decision);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Hands_off_with_reason_when_Ollama_keeps_failing()
    {
        _server.Script(Reply.Status(500, "model runner crashed"));

        var decision = await Agent().DecideAsync(TestKnowledge.Ask("Do you sell bicycles?"), CancellationToken.None);

        var handoff = Assert.IsType<AgentHandoff>(decision);
        Assert.Equal(HandoffTrigger.AgentUnavailable, handoff.Trigger);
        Assert.StartsWith(LlmSupportAgent.UnusableAnswerReason, handoff.Reason, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests.Count);
    }
}
