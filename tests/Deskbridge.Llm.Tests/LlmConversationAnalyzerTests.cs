using Deskbridge.Agent;

namespace Deskbridge.Llm.Tests;

public sealed class LlmConversationAnalyzerTests : IAsyncLifetime
{
    private static readonly IReadOnlyList<TranscriptEntry> Transcript =
    [
        new(Speaker.Customer, "Mein Paket ist seit zwei Wochen nicht angekommen!", DateTimeOffset.Parse("2025-03-01T10:00:00Z")),
        new(Speaker.Ai, "Das tut mir leid. Ich schaue nach.", DateTimeOffset.Parse("2025-03-01T10:00:05Z")),
        new(Speaker.InternalNote, "check carrier", DateTimeOffset.Parse("2025-03-01T10:00:06Z")),
    ];

    private FakeModelServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LlmConversationAnalyzer Analyzer(IConversationAnalyzer? fallback = null)
    {
        var options = new LlmOptions
        {
            BaseUrl = _server.OpenAIBaseUrl,
            Model = "gpt-test-mini",
            ApiKey = "sk-analyzer-key",
            Timeout = TimeSpan.FromSeconds(5),
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        };
        return new LlmConversationAnalyzer(LlmChatClientFactory.Create(options), options, fallback);
    }

    [Fact]
    public async Task Returns_the_models_summary_sentiment_and_language()
    {
        _server.Script(Reply.Json(new
        {
            summary = "The customer's parcel has not arrived after two weeks.",
            sentiment = new { label = "negative", score = -0.7 },
            language = "de",
            languageConfidence = 0.97,
        }));

        var analysis = await Analyzer().AnalyzeAsync(Transcript, CancellationToken.None);

        Assert.Equal("The customer's parcel has not arrived after two weeks.", analysis.Summary);
        Assert.Equal(new SentimentResult(SentimentLabel.Negative, -0.7), analysis.Sentiment);
        Assert.Equal("de", analysis.Language);
        Assert.Equal(0.97, analysis.LanguageConfidence);
        var received = Assert.Single(_server.Requests);
        Assert.Contains("Mein Paket ist seit zwei Wochen nicht angekommen!", received.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("check carrier", received.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_when_the_sentiment_score_is_out_of_range()
    {
        _server.Script(
            Reply.Json(new { summary = "Parcel late.", sentiment = new { label = "negative", score = -7 }, language = "de" }),
            Reply.Json(new { summary = "Parcel late.", sentiment = new { label = "negative", score = -0.5 }, language = "de" }));

        var analysis = await Analyzer().AnalyzeAsync(Transcript, CancellationToken.None);

        Assert.Equal(-0.5, analysis.Sentiment.Score);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Falls_back_to_the_given_analyzer_when_the_model_keeps_failing()
    {
        _server.Script(Reply.Status(500));
        var fallback = new FixedAnalyzer(new ConversationAnalysis("From the fallback.", new SentimentResult(SentimentLabel.Negative, -0.4), "de", 0.8));

        var analysis = await Analyzer(fallback).AnalyzeAsync(Transcript, CancellationToken.None);

        Assert.Equal("From the fallback.", analysis.Summary);
        Assert.Equal(1, fallback.Calls);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Returns_neutral_und_with_the_error_when_the_model_fails_and_there_is_no_fallback()
    {
        _server.Script(Reply.Content("I think the customer is upset."));

        var analysis = await Analyzer().AnalyzeAsync(Transcript, CancellationToken.None);

        Assert.StartsWith(LlmConversationAnalyzer.UnusableAnalysisSummary, analysis.Summary, StringComparison.Ordinal);
        Assert.Contains("not JSON", analysis.Summary, StringComparison.Ordinal);
        Assert.Equal(new SentimentResult(SentimentLabel.Neutral, 0), analysis.Sentiment);
        Assert.Equal("und", analysis.Language);
        Assert.Equal(0, analysis.LanguageConfidence);
    }

    [Fact]
    public async Task Returns_neutral_und_when_the_fallback_throws_too()
    {
        _server.Script(Reply.Status(503));

        var analysis = await Analyzer(new ThrowingAnalyzer()).AnalyzeAsync(Transcript, CancellationToken.None);

        Assert.StartsWith(LlmConversationAnalyzer.UnusableAnalysisSummary, analysis.Summary, StringComparison.Ordinal);
        Assert.Equal("und", analysis.Language);
    }

    internal sealed class FixedAnalyzer(ConversationAnalysis analysis) : IConversationAnalyzer
    {
        public int Calls { get; private set; }

        public Task<ConversationAnalysis> AnalyzeAsync(IReadOnlyList<TranscriptEntry> transcript, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(analysis);
        }
    }

    private sealed class ThrowingAnalyzer : IConversationAnalyzer
    {
        public Task<ConversationAnalysis> AnalyzeAsync(IReadOnlyList<TranscriptEntry> transcript, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("broken");
    }
}
