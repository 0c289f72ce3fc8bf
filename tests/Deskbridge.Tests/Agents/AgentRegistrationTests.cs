using Deskbridge.Agent;
using Deskbridge.Agent.Analysis;
using Deskbridge.Agent.Embedded;
using Deskbridge.Llm;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Deskbridge.Tests.Agents;

/// <summary>A1/A2: the app picks its agent once, from configuration; the LLM's analyzer falls back to the embedded one.</summary>
public sealed class AgentRegistrationTests
{
    private static readonly IReadOnlyList<TranscriptEntry> Transcript =
    [
        new(Speaker.Customer, "Mein Paket ist seit zwei Wochen nicht angekommen! Das ist wirklich ärgerlich.", DateTimeOffset.Parse("2025-03-01T10:00:00Z")),
    ];

    // Built, not started: resolving the agent needs no server, no database and no demo.
    private static WebApplication Build(FakeLoggerProvider logs, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = Deskbridge.Testing.DeskbridgeTestHost.NewDataDirectory(),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return DeskbridgeApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production"], settings, b => b.Logging.AddProvider(logs));
    }

    [Fact]
    public async Task Uses_the_embedded_agent_and_analyzer_when_no_Llm_model_is_configured()
    {
        using var logs = new FakeLoggerProvider();
        await using var app = Build(logs);

        Assert.IsType<EmbeddedSupportAgent>(Assert.Single(app.Services.GetServices<ISupportAgent>()));
        Assert.IsType<EmbeddedConversationAnalyzer>(Assert.Single(app.Services.GetServices<IConversationAnalyzer>()));
    }

    [Fact]
    public async Task Uses_the_llm_agent_whose_analyzer_falls_back_to_the_embedded_one_when_the_model_is_unreachable()
    {
        using var logs = new FakeLoggerProvider();
        await using var app = Build(logs, new()
        {
            ["Llm:Provider"] = "OpenAI",
            // Nothing listens on port 1: every model call fails at once.
            ["Llm:BaseUrl"] = "http://127.0.0.1:1/v1",
            ["Llm:Model"] = "gpt-registration",
            ["Llm:ApiKey"] = "sk-registration-unused",
            ["Llm:MaxRetries"] = "0",
            ["Llm:Timeout"] = "00:00:05",
        });

        Assert.IsType<LlmSupportAgent>(Assert.Single(app.Services.GetServices<ISupportAgent>()));
        var analyzer = Assert.IsType<LlmConversationAnalyzer>(Assert.Single(app.Services.GetServices<IConversationAnalyzer>()));

        var analysis = await analyzer.AnalyzeAsync(Transcript, CancellationToken.None);

        Assert.Equal(await new EmbeddedConversationAnalyzer().AnalyzeAsync(Transcript, CancellationToken.None), analysis);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Message.Contains("using the fallback analyzer EmbeddedConversationAnalyzer", StringComparison.Ordinal));
    }
}
