using Deskbridge.Agent;
using Deskbridge.Agent.Knowledge;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Deskbridge.Llm.Tests;

public sealed class RegistrationTests : IAsyncLifetime, IDisposable
{
    private const string ApiKey = "sk-registration-9d3e71aa05";

    private readonly TestKnowledge _knowledge = new();
    private FakeModelServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _knowledge.Dispose();

    private IConfigurationSection Section(params (string Key, string? Value)[] overrides)
    {
        var values = new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "OpenAI",
            ["Llm:BaseUrl"] = _server.OpenAIBaseUrl,
            ["Llm:Model"] = "gpt-from-config",
            ["Llm:ApiKey"] = ApiKey,
            ["Llm:Timeout"] = "00:00:05",
            ["Llm:MaxRetries"] = "1",
            ["Llm:RetryDelay"] = "00:00:00.010",
            ["Llm:Temperature"] = "0.1",
        };
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(LlmOptions.SectionName);
    }

    [Fact]
    public async Task Registers_the_llm_agent_and_analyzer_from_the_Llm_section()
    {
        _server.Script(Reply.Json(new { action = "answer", answer = "Within 30 days.", sources = new[] { "returns-and-refunds#0" } }));
        var collector = new FakeLogCollector();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)))
            .AddSingleton(_knowledge.Catalog)
            .AddLlmAgent(Section());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var agent = provider.GetRequiredService<ISupportAgent>();
        var decision = await agent.DecideAsync(TestKnowledge.Ask("Can I return my shoes?"), CancellationToken.None);

        Assert.IsType<LlmSupportAgent>(agent);
        Assert.IsType<LlmConversationAnalyzer>(provider.GetRequiredService<IConversationAnalyzer>());
        Assert.Equal("Within 30 days.", Assert.IsType<AgentAnswer>(decision).Text);
        var received = Assert.Single(_server.Requests);
        Assert.Equal("gpt-from-config", received.Model);
        Assert.Equal("Bearer " + ApiKey, received.Authorization);
        Assert.Equal(0.1, received.Body["temperature"]!.GetValue<double>(), 3);
        Assert.Contains(collector.GetSnapshot(), r => r.Message.Contains("gpt-from-config", StringComparison.Ordinal));
        Assert.DoesNotContain(collector.GetSnapshot(), r => r.Message.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Falls_back_to_the_analyzer_given_at_registration_when_the_model_fails()
    {
        _server.Script(Reply.Status(500));
        var fallback = new LlmConversationAnalyzerTests.FixedAnalyzer(new ConversationAnalysis("Embedded summary.", new SentimentResult(SentimentLabel.Neutral, 0), "en", 0.9));
        var services = new ServiceCollection()
            .AddSingleton(_knowledge.Catalog)
            .AddLlmAgent(Section(), _ => fallback);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var analysis = await provider.GetRequiredService<IConversationAnalyzer>().AnalyzeAsync(TestKnowledge.Ask("Hello").Transcript, CancellationToken.None);

        Assert.Equal("Embedded summary.", analysis.Summary);
        Assert.Equal(1, fallback.Calls);
        Assert.IsType<LlmConversationAnalyzer>(Assert.Single(provider.GetServices<IConversationAnalyzer>()));
        Assert.IsType<LlmSupportAgent>(Assert.Single(provider.GetServices<ISupportAgent>()));
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public void Rejects_a_section_without_a_model_naming_the_key()
    {
        var services = new ServiceCollection().AddLlmAgent(Section(("Llm:Model", "")));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LlmOptions>>().Value);

        Assert.Contains("Llm:Model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Requires_a_key_for_api_openai_com()
    {
        var options = new LlmOptions { Model = "gpt-4o-mini" };

        Assert.Contains(options.Problems(), p => p.Contains("ApiKey", StringComparison.Ordinal));
        Assert.Empty(new LlmOptions { Model = "llama3.2", Provider = LlmProvider.Ollama }.Problems());
    }

    [Fact]
    public void Options_never_show_the_key()
    {
        var options = new LlmOptions { Model = "m", ApiKey = ApiKey };

        Assert.DoesNotContain(ApiKey, options.ToString(), StringComparison.Ordinal);
        Assert.Equal("key [redacted] rejected", options.Redact($"key {ApiKey} rejected"));
    }
}
