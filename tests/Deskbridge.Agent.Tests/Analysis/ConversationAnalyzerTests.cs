using Deskbridge.Agent.Analysis;

namespace Deskbridge.Agent.Tests.Analysis;

public sealed class ConversationAnalyzerTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static List<TranscriptEntry> Transcript(params (Speaker Speaker, string Text)[] entries) =>
        [.. entries.Select((e, i) => new TranscriptEntry(e.Speaker, e.Text, Start.AddMinutes(i)))];

    [Fact]
    public void Summary_quotes_the_customers_question()
    {
        var summary = ConversationSummarizer.Summarize(Transcript(
            (Speaker.Customer, "Hi"),
            (Speaker.Ai, "Hello! How can I help?"),
            (Speaker.Customer, "I was charged twice for order 1042. Can you refund the second payment?"),
            (Speaker.Ai, "Refunds take 5 days."),
            (Speaker.Customer, "It has been two weeks already and nothing came back.")));

        Assert.Equal(
            "Customer: \"I was charged twice for order 1042. Can you refund the second payment?\" "
            + "Latest: \"It has been two weeks already and nothing came back.\" 5 messages exchanged (3 from the customer).",
            summary);
    }

    [Fact]
    public void Summary_uses_only_the_customers_words()
    {
        var transcript = Transcript(
            (Speaker.Customer, "My package never arrived, where is it?"),
            (Speaker.Ai, "Your parcel was delivered to the neighbour at number 12."),
            (Speaker.InternalNote, "VIP customer, handle with care"),
            (Speaker.HumanAgent, "Let me check with the courier."));

        var summary = ConversationSummarizer.Summarize(transcript);

        Assert.Contains("My package never arrived, where is it?", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("neighbour", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("VIP", summary, StringComparison.Ordinal);
        Assert.EndsWith("3 messages exchanged (1 from the customer).", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_stays_short_for_long_messages()
    {
        var rambling = string.Join(' ', Enumerable.Repeat("The invoice total does not match the quote we agreed on with your sales team last month.", 20));
        var summary = ConversationSummarizer.Summarize(Transcript((Speaker.Customer, rambling), (Speaker.Customer, rambling + " Why?")));

        Assert.True(summary.Length <= ConversationSummarizer.MaxLength, $"{summary.Length} characters");
        Assert.StartsWith("Customer: \"The invoice total does not match", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_says_when_the_customer_has_not_written()
    {
        Assert.Equal(
            "The customer has not written anything yet; 1 message exchanged (0 from the customer).",
            ConversationSummarizer.Summarize(Transcript((Speaker.Ai, "Welcome! Ask me anything."))));
    }

    [Fact]
    public async Task Analyzes_a_german_complaint_for_the_handoff_note()
    {
        var analyzer = new EmbeddedConversationAnalyzer();

        var analysis = await analyzer.AnalyzeAsync(
            Transcript(
                (Speaker.Customer, "Guten Tag, meine Bestellung ist seit zwei Wochen nicht angekommen. Wo ist mein Paket?"),
                (Speaker.Ai, "Your parcel is on its way."),
                (Speaker.Customer, "Das ist wirklich schlecht, ich bin sehr enttäuscht und möchte mein Geld zurück.")),
            CancellationToken.None);

        Assert.Equal("de", analysis.Language);
        Assert.True(analysis.LanguageConfidence > 0.5, $"confidence {analysis.LanguageConfidence}");
        Assert.Equal(SentimentLabel.Negative, analysis.Sentiment.Label);
        Assert.Contains("Wo ist mein Paket?", analysis.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_undetermined_language_and_neutral_sentiment_without_customer_messages()
    {
        var analysis = await new EmbeddedConversationAnalyzer().AnalyzeAsync(Transcript((Speaker.Ai, "Hello, how can I help you today?")), CancellationToken.None);

        Assert.Equal("und", analysis.Language);
        Assert.Equal(0, analysis.LanguageConfidence);
        Assert.Equal(new SentimentResult(SentimentLabel.Neutral, 0), analysis.Sentiment);
    }

    [Fact]
    public async Task Gives_the_same_answer_from_many_threads()
    {
        var analyzer = new EmbeddedConversationAnalyzer();
        var transcript = Transcript((Speaker.Customer, "Bonjour, mon colis est arrivé cassé, c'est inacceptable. Que pouvez-vous faire ?"));
        var expected = await analyzer.AnalyzeAsync(transcript, CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => analyzer.AnalyzeAsync(transcript, CancellationToken.None))));

        Assert.All(results, r => Assert.Equal(expected, r));
        Assert.Equal("fr", expected.Language);
    }

    [Fact]
    public async Task Honours_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(
            () => new EmbeddedConversationAnalyzer().AnalyzeAsync(Transcript((Speaker.Customer, "hello")), cancelled.Token));
    }
}
