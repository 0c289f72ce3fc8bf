using System.Diagnostics;
using Deskbridge.Agent;
using Microsoft.Extensions.Logging.Testing;

namespace Deskbridge.Llm.Tests;

public sealed class LlmSupportAgentTests : IAsyncLifetime, IDisposable
{
    private const string ApiKey = "sk-test-4f9a2c7e1b8d";

    private readonly TestKnowledge _knowledge = new();
    private readonly FakeLogCollector _logs = new();
    private FakeModelServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _knowledge.Dispose();

    private static object AnswerJson(string text, params string[] sources) => new { action = "answer", answer = text, sources };

    private LlmOptions Options(Action<LlmOptions>? change = null)
    {
        var options = new LlmOptions
        {
            Provider = LlmProvider.OpenAI,
            BaseUrl = _server.OpenAIBaseUrl,
            Model = "gpt-test-mini",
            ApiKey = ApiKey,
            Timeout = TimeSpan.FromSeconds(5),
            MaxRetries = 2,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        };
        change?.Invoke(options);
        return options;
    }

    private LlmSupportAgent Agent(LlmOptions? options = null)
    {
        options ??= Options();
        return new LlmSupportAgent(LlmChatClientFactory.Create(options), _knowledge.Catalog, options, new FakeLogger<LlmSupportAgent>(_logs));
    }

    [Fact]
    public async Task Answers_from_the_knowledge_passages_it_sent_to_the_model()
    {
        _server.Script(Reply.Json(AnswerJson("You can return it within 30 days for a full refund.", "returns-and-refunds#0")));

        var decision = await Agent().DecideAsync(TestKnowledge.Ask("Can I return my shoes? They don't fit."), CancellationToken.None);

        var answer = Assert.IsType<AgentAnswer>(decision);
        Assert.Equal("You can return it within 30 days for a full refund.", answer.Text);
        var source = Assert.Single(answer.Sources);
        Assert.Equal("returns-and-refunds", source.ArticleId);
        Assert.Equal("Returns and refunds", source.Title);
        Assert.Contains("30 days", source.Quote, StringComparison.Ordinal);
        Assert.True(source.Score > 0);
    }

    [Fact]
    public async Task Sends_model_key_transcript_and_knowledge_passages_in_the_request()
    {
        _server.Script(Reply.Json(AnswerJson("Sure.", "returns-and-refunds#0")));
        var request = new AgentRequest(
            TestKnowledge.Key,
            [
                new TranscriptEntry(Speaker.Customer, "Hello, I bought boots last week.", DateTimeOffset.Parse("2025-03-01T10:00:00Z")),
                new TranscriptEntry(Speaker.Ai, "Hi! How can I help you today?", DateTimeOffset.Parse("2025-03-01T10:00:05Z")),
                new TranscriptEntry(Speaker.InternalNote, "VIP customer, secret discount 50%", DateTimeOffset.Parse("2025-03-01T10:00:06Z")),
                new TranscriptEntry(Speaker.HumanAgent, "I can see your order 1042.", DateTimeOffset.Parse("2025-03-01T10:01:00Z")),
                new TranscriptEntry(Speaker.Customer, "How do I return them?", DateTimeOffset.Parse("2025-03-01T10:02:00Z")),
            ],
            new Dictionary<string, string> { ["order_number"] = "1042" },
            new CrmContext(new CrmContact("1", "Ada Lovelace", "ada@example.com", null, null), null, [], [new CrmTicket("7", "Late parcel", "Closed")], []));

        await Agent().DecideAsync(request, CancellationToken.None);

        var received = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", received.Path);
        Assert.Equal("Bearer " + ApiKey, received.Authorization);
        Assert.Equal("gpt-test-mini", received.Model);
        var format = received.Body["response_format"]!;
        Assert.Equal("json_schema", format["type"]?.GetValue<string>());
        var properties = format["json_schema"]!["schema"]!["properties"]!.AsObject().Select(p => p.Key);
        Assert.Equal(["action", "answer", "sources", "reason", "trigger"], properties);
        Assert.Equal(["system", "user"], received.Messages.Select(m => m.Role));
        Assert.Contains("JSON", received.Messages[0].Text, StringComparison.Ordinal);
        var prompt = received.Messages[1].Text;
        Assert.Contains("Hello, I bought boots last week.", prompt, StringComparison.Ordinal);
        Assert.Contains("I can see your order 1042.", prompt, StringComparison.Ordinal);
        Assert.Contains("How do I return them?", prompt, StringComparison.Ordinal);
        Assert.Contains("[returns-and-refunds#0]", prompt, StringComparison.Ordinal);
        Assert.Contains(TestKnowledge.ReturnsFact, prompt, StringComparison.Ordinal);
        Assert.Contains("Ada Lovelace", prompt, StringComparison.Ordinal);
        Assert.Contains("Late parcel", prompt, StringComparison.Ordinal);
        Assert.Contains("order_number: 1042", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("secret discount", received.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hands_off_with_the_models_reason_and_trigger()
    {
        _server.Script(Reply.Json(new { action = "handoff", reason = "The customer wants to speak to a person.", trigger = "customer_asked_for_human" }));

        var decision = await Agent().DecideAsync(TestKnowledge.Ask("Get me a human please"), CancellationToken.None);

        var handoff = Assert.IsType<AgentHandoff>(decision);
        Assert.Equal("The customer wants to speak to a person.", handoff.Reason);
        Assert.Equal(HandoffTrigger.CustomerAskedForHuman, handoff.Trigger);
    }

    [Fact]
    public async Task Retries_after_429_honouring_Retry_After_then_answers()
    {
        _server.Script(Reply.Status(429, "Rate limit reached", ("Retry-After", "1")), Reply.Json(AnswerJson("Delivery takes 3 to 5 working days.", "shipping#0")));

        var decision = await Agent().DecideAsync(TestKnowledge.Ask("How long does delivery take?"), CancellationToken.None);

        Assert.IsType<AgentAnswer>(decision);
        var requests = _server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900), $"waited only {(requests[1].At - requests[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Retries_after_500_then_answers()
    {
        _server.Script(Reply.Status(500), Reply.Json(AnswerJson("Delivery takes 3 to 5 working days.", "shipping#0")));

        var decision = await Agent().DecideAsync(TestKnowledge.Ask("How long does delivery take?"), CancellationToken.None);

        Assert.Equal("Delivery takes 3 to 5 working days.", Assert.IsType<AgentAnswer>(decision).Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Retries_when_the_model_hangs_longer_than_the_timeout()
    {
        _server.Script(Reply.Hang(TimeSpan.FromSeconds(30)), Reply.Json(AnswerJson("Delivery takes 3 to 5 working days.", "shipping#0")));
        var stopwatch = Stopwatch.StartNew();

        var decision = await Agent(Options(o => o.Timeout = TimeSpan.FromMilliseconds(500))).DecideAsync(TestKnowledge.Ask("How long does delivery take?"), CancellationToken.None);

        Assert.IsType<AgentAnswer>(decision);
        Assert.Equal(2, _server.Requests.Count);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Retries_when_the_reply_is_not_JSON_then_answers()
    {
        _server.Script(Reply.Content("Sure! You can return it within 30 days."), Reply.Json(AnswerJson("You can return it within 30 days.", "returns-and-refunds#0")));

        var decision = await Agent().DecideAsync(TestKnowledge.Ask("Can I return my shoes?"), CancellationToken.None);

        Assert.Equal("You can return it within 30 days.", Assert.IsType<AgentAnswer>(decision).Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Retries_when_the_reply_has_an_invalid_structure_then_answers()
    {
        _server.Script(
            Reply.Json(new { action = "reply", answer = "Yes." }),
            Reply.Json(new { action = "answer", answer = "   ", sources = Array.Empty<string>() }),
            Reply.Json(AnswerJson("You can return it within 30 days.", "returns-and-refunds#0")));

        var decision = await Agent().DecideAsync(TestKnowledge.Ask("Can I return my shoes?"), CancellationToken.None);

        Assert.IsType<AgentAnswer>(decision);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Hands_off_with_reason_when_model_keeps_returning_500()
    {
        _server.Script(Reply.Status(500, "The server had an error while processing your request."));

        var decision = await Agent().DecideAsync(TestKnowledge.Ask("How long does delivery take?"), CancellationToken.None);

        var handoff = Assert.IsType<AgentHandoff>(decision);
        Assert.Equal(HandoffTrigger.AgentUnavailable, handoff.Trigger);
        Assert.StartsWith(LlmSupportAgent.UnusableAnswerReason, handoff.Reason, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", handoff.Reason, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", handoff.Reason, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Hands_off_after_a_single_attempt_when_retries_are_off()
    {
        _server.Script(Reply.Status(503, "Overloaded"));

        var decision = await Agent(Options(o => o.MaxRetries = 0)).DecideAsync(TestKnowledge.Ask("How long does delivery take?"), CancellationToken.None);

        var handoff = Assert.IsType<AgentHandoff>(decision);
        Assert.Equal(HandoffTrigger.AgentUnavailable, handoff.Trigger);
        Assert.Contains("HTTP 503", handoff.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("attempts", handoff.Reason, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Asks_for_a_plain_JSON_object_with_the_schema_in_the_prompt_when_the_schema_format_is_off()
    {
        _server.Script(Reply.Json(AnswerJson("Delivery takes 3 to 5 working days.", "shipping#0")));

        var decision = await Agent(Options(o => o.JsonResponseFormat = false)).DecideAsync(TestKnowledge.Ask("How long does delivery take?"), CancellationToken.None);

        Assert.Equal("Delivery takes 3 to 5 working days.", Assert.IsType<AgentAnswer>(decision).Text);
        var received = Assert.Single(_server.Requests);
        Assert.Equal("json_object", received.Body["response_format"]?["type"]?.GetValue<string>());
        // The schema's own wording (DecisionOutput's descriptions), which the prompts do not contain.
        Assert.Contains("the ids of the passages the answer is based on", received.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hands_off_when_the_model_keeps_citing_passages_it_was_not_given()
    {
        _server.Script(Reply.Json(AnswerJson("Returns are free forever.", "made-up-article#3")));

        var decision = await Agent(Options(o => o.MaxRetries = 1)).DecideAsync(TestKnowledge.Ask("Can I return my shoes?"), CancellationToken.None);

        var handoff = Assert.IsType<AgentHandoff>(decision);
        Assert.Equal(HandoffTrigger.AgentUnavailable, handoff.Trigger);
        Assert.Contains("made-up-article#3", handoff.Reason, StringComparison.Ordinal);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Hands_off_without_retrying_when_the_key_is_rejected()
    {
        _server.Script(Reply.Status(401, $"Incorrect API key provided: {ApiKey}."));

        var decision = await Agent().DecideAsync(TestKnowledge.Ask("How long does delivery take?"), CancellationToken.None);

        var handoff = Assert.IsType<AgentHandoff>(decision);
        Assert.Equal(HandoffTrigger.AgentUnavailable, handoff.Trigger);
        Assert.Contains("HTTP 401", handoff.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, handoff.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, handoff.ToString(), StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Hands_off_at_once_when_Retry_After_is_longer_than_allowed()
    {
        _server.Script(Reply.Status(429, "Rate limit reached", ("Retry-After", "120")));

        var decision = await Agent().DecideAsync(TestKnowledge.Ask("How long does delivery take?"), CancellationToken.None);

        var handoff = Assert.IsType<AgentHandoff>(decision);
        Assert.Contains("HTTP 429", handoff.Reason, StringComparison.Ordinal);
        Assert.Contains("120 s", handoff.Reason, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Hands_off_when_the_endpoint_cannot_be_reached()
    {
        var options = Options(o => o.BaseUrl = "http://127.0.0.1:1/v1");

        var decision = await Agent(options).DecideAsync(TestKnowledge.Ask("How long does delivery take?"), CancellationToken.None);

        var handoff = Assert.IsType<AgentHandoff>(decision);
        Assert.Equal(HandoffTrigger.AgentUnavailable, handoff.Trigger);
        Assert.StartsWith(LlmSupportAgent.UnusableAnswerReason, handoff.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Does_not_call_the_model_when_there_is_no_customer_message()
    {
        var request = new AgentRequest(TestKnowledge.Key, [new TranscriptEntry(Speaker.Ai, "Hi!", DateTimeOffset.UtcNow)], new Dictionary<string, string>());

        var decision = await Agent().DecideAsync(request, CancellationToken.None);

        Assert.Equal(HandoffTrigger.LowConfidence, Assert.IsType<AgentHandoff>(decision).Trigger);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Stops_when_the_caller_cancels()
    {
        _server.Script(Reply.Hang(TimeSpan.FromSeconds(30)));
        using var cancellation = new CancellationTokenSource();

        // Cancelled while the model's answer hangs, not before the call: retrieval (the embedding model) comes first and
        // may take longer than a fixed delay on a busy machine.
        var deciding = Agent().DecideAsync(TestKnowledge.Ask("How long does delivery take?"), cancellation.Token);
        var asked = Stopwatch.StartNew();
        while (_server.Requests.Count == 0 && asked.Elapsed < TimeSpan.FromSeconds(30) && !deciding.IsCompleted)
        {
            await Task.Delay(20);
        }
        Assert.Single(_server.Requests);
        var cancelled = Stopwatch.StartNew();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deciding);
        Assert.True(cancelled.Elapsed < TimeSpan.FromSeconds(10), $"stopped {cancelled.Elapsed} after the cancel, not at once");
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Never_writes_the_api_key_to_logs()
    {
        _server.Script(
            Reply.Status(500, $"upstream rejected key {ApiKey}"),
            Reply.Status(503, $"key {ApiKey} is throttled"),
            Reply.Status(401, $"Incorrect API key provided: {ApiKey}."));

        await Agent().DecideAsync(TestKnowledge.Ask("How long does delivery take?"), CancellationToken.None);

        var records = _logs.GetSnapshot();
        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            Assert.DoesNotContain(ApiKey, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiKey, record.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
            Assert.All(record.StructuredState ?? [], pair => Assert.DoesNotContain(ApiKey, pair.Value ?? string.Empty, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(ApiKey, Options().ToString(), StringComparison.Ordinal);
    }
}
