using Deskbridge.Agent.Embedded;
using Deskbridge.Agent.Analysis;
using Deskbridge.Agent.Knowledge;
using Deskbridge.Agent.Knowledge.Retrieval;

namespace Deskbridge.Agent.Tests.Retrieval;

/// <summary>Hybrid retrieval with the shipped model (all-MiniLM-L6-v2), on small knowledge bases built here.</summary>
public class HybridRetrievalTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private const string Shipping = "# Shipping times\n\nStandard delivery takes 3 to 5 working days. Express delivery arrives the next working day.";
    private const string Furniture = "# Caring for wooden furniture\n\nOil the tabletop twice a year with linseed oil. Wipe spills at once with a dry cloth, and keep the wood out of direct sunlight.";
    private const string Payments = "# Payment methods\n\nWe accept Visa, Mastercard, PayPal and Klarna. Your card is charged when the order ships.";

    [Fact]
    public async Task Finds_the_article_for_a_paraphrase_that_shares_no_word_with_it()
    {
        var knowledgeBase = KnowledgeBase.FromArticles("t", [KnowledgeArticle.Parse("furniture", Furniture), KnowledgeArticle.Parse("payments", Payments)]);
        var retriever = new KnowledgeRetriever(MiniLmPassageEmbedder.Shared);
        const string question = "how should I look after my oak dining table?";

        var hits = await retriever.RetrieveAsync(knowledgeBase, knowledgeBase.ParseQuestion(question), question, null, 3, 0.6, CancellationToken.None);
        var lexical = await KnowledgeRetriever.Lexical.RetrieveAsync(knowledgeBase, knowledgeBase.ParseQuestion(question), question, null, 3, 0.6, CancellationToken.None);

        Assert.Equal("furniture", hits[0].Passage.ArticleId);
        Assert.True(hits[0].Similarity > 0.3, $"similarity {hits[0].Similarity}");
        Assert.DoesNotContain(lexical, h => h.Passage.ArticleId == "furniture");
    }

    [Fact]
    public async Task Embeds_each_passage_once_and_again_only_when_its_text_changes()
    {
        var embedder = new CountingEmbedder(MiniLmPassageEmbedder.Shared);
        var store = new InMemoryEmbeddingStore();
        var retriever = new KnowledgeRetriever(embedder, store);
        var first = KnowledgeBase.FromArticles("t", [KnowledgeArticle.Parse("shipping", Shipping), KnowledgeArticle.Parse("payments", Payments)]);

        await retriever.WarmAsync(first, CancellationToken.None);
        await retriever.RetrieveAsync(first, first.ParseQuestion("delivery"), "delivery", null, 3, 0.6, CancellationToken.None);
        Assert.Equal(2, embedder.PassagesEmbedded);

        // A rebuilt knowledge base with one article edited: only the edited passage is embedded again, the other comes from the store.
        var edited = KnowledgeBase.FromArticles("t", [KnowledgeArticle.Parse("shipping", Shipping + " Saturday delivery costs extra."), KnowledgeArticle.Parse("payments", Payments)]);
        await retriever.WarmAsync(edited, CancellationToken.None);
        Assert.Equal(3, embedder.PassagesEmbedded);
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public async Task Prefers_the_article_in_the_customers_language()
    {
        var english = KnowledgeArticle.Parse("shipping-en", Shipping) with { Language = "en" };
        var german = KnowledgeArticle.Parse("shipping-de", "# Versandzeiten\n\nDer Standardversand dauert 3 bis 5 Werktage. Expressversand kommt am nächsten Werktag an.") with { Language = "de" };
        var folder = Directory.CreateTempSubdirectory("deskbridge-lang-");
        try
        {
            var catalog = new KnowledgeBaseCatalog(folder.FullName);
            var agent = new EmbeddedSupportAgent(catalog, new EmbeddedAgentOptions(), new KnowledgeRetriever(MiniLmPassageEmbedder.Shared), LanguageDetector.Default);
            var knowledgeBase = KnowledgeBase.FromArticles("t", [english, german]);
            var retriever = agent.Retriever;

            var inGerman = await retriever.RetrieveAsync(knowledgeBase, knowledgeBase.ParseQuestion("Wie lange dauert der Versand?"), "Wie lange dauert der Versand?", "de", 3, 0.6, CancellationToken.None);
            var inEnglish = await retriever.RetrieveAsync(knowledgeBase, knowledgeBase.ParseQuestion("How long does delivery take?"), "How long does delivery take?", "en", 3, 0.6, CancellationToken.None);

            Assert.Equal("shipping-de", inGerman[0].Passage.ArticleId);
            Assert.True(inGerman[0].InCustomerLanguage);
            Assert.Equal("shipping-en", inEnglish[0].Passage.ArticleId);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Hybrid_agent_answers_a_paraphrase_that_bm25_hands_off()
    {
        var folder = Directory.CreateTempSubdirectory("deskbridge-kb-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "shop"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "shop", "furniture.md"), Furniture);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "shop", "payments.md"), Payments);
            var catalog = new KnowledgeBaseCatalog(folder.FullName);
            var request = new AgentRequest("shop", [new TranscriptEntry(Speaker.Customer, "what should I do to protect an oak table from going dry and faded?", At)], new Dictionary<string, string>());

            var hybrid = await new EmbeddedSupportAgent(catalog, null, new KnowledgeRetriever(MiniLmPassageEmbedder.Shared)).TraceAsync(request, CancellationToken.None);
            var lexical = await new EmbeddedSupportAgent(catalog).TraceAsync(request, CancellationToken.None);

            Assert.True(hybrid.Decision is AgentAnswer, (hybrid.Decision as AgentHandoff)?.Reason);
            var answer = (AgentAnswer)hybrid.Decision;
            Assert.Equal("furniture", answer.Sources[0].ArticleId);
            Assert.Equal(RetrievalMode.Hybrid, hybrid.Mode);
            Assert.IsType<AgentHandoff>(lexical.Decision);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The real model, counting how many texts it was asked to embed.</summary>
    [Fact]
    public async Task Does_not_embed_a_question_bm25_is_sure_of_and_ranks_the_article_first_as_fusion_does()
    {
        var knowledgeBase = KnowledgeBase.FromArticles("t", [KnowledgeArticle.Parse("shipping", Shipping), KnowledgeArticle.Parse("payments", Payments), KnowledgeArticle.Parse("furniture", Furniture)]);
        var embedder = new CountingEmbedder(MiniLmPassageEmbedder.Shared);
        var lexicalFirst = new KnowledgeRetriever(embedder);
        var everyQuestion = new KnowledgeRetriever(MiniLmPassageEmbedder.Shared, null, new RetrievalOptions { LexicalFirst = false });
        const string sure = "How many working days does standard delivery take?";

        var hits = await lexicalFirst.RetrieveAsync(knowledgeBase, knowledgeBase.ParseQuestion(sure), sure, null, 3, 0.6, CancellationToken.None);
        var fused = await everyQuestion.RetrieveAsync(knowledgeBase, knowledgeBase.ParseQuestion(sure), sure, null, 3, 0.6, CancellationToken.None);

        Assert.Equal(0, embedder.QuestionsEmbedded);
        Assert.Equal(1, lexicalFirst.EmbeddingsSkipped);
        Assert.Equal(fused[0].Passage.ArticleId, hits[0].Passage.ArticleId);
        Assert.Equal("shipping", hits[0].Passage.ArticleId);

        // A paraphrase BM25 cannot be sure of is embedded as before.
        const string paraphrase = "how should I look after my oak dining table?";
        var found = await lexicalFirst.RetrieveAsync(knowledgeBase, knowledgeBase.ParseQuestion(paraphrase), paraphrase, null, 3, 0.6, CancellationToken.None);
        Assert.Equal(1, embedder.QuestionsEmbedded);
        Assert.Equal("furniture", found[0].Passage.ArticleId);
    }

    [Fact]
    public async Task Embeds_a_question_asked_again_in_the_same_words_once()
    {
        var knowledgeBase = KnowledgeBase.FromArticles("t", [KnowledgeArticle.Parse("furniture", Furniture), KnowledgeArticle.Parse("payments", Payments)]);
        var embedder = new CountingEmbedder(MiniLmPassageEmbedder.Shared);
        var retriever = new KnowledgeRetriever(embedder);
        var uncached = new CountingEmbedder(MiniLmPassageEmbedder.Shared);
        var everyTime = new KnowledgeRetriever(uncached, null, new RetrievalOptions { QuestionCacheSize = 0 });
        const string question = "how should I look after my oak dining table?";

        var first = await retriever.RetrieveAsync(knowledgeBase, knowledgeBase.ParseQuestion(question), question, null, 3, 0.6, CancellationToken.None);
        var again = await retriever.RetrieveAsync(knowledgeBase, knowledgeBase.ParseQuestion(question), question, null, 3, 0.6, CancellationToken.None);
        for (var i = 0; i < 2; i++)
        {
            await everyTime.RetrieveAsync(knowledgeBase, knowledgeBase.ParseQuestion(question), question, null, 3, 0.6, CancellationToken.None);
        }

        Assert.Equal(1, embedder.QuestionsEmbedded);
        Assert.Equal(1, retriever.QuestionCacheHits);
        Assert.Equal(first[0].Similarity, again[0].Similarity);
        Assert.Equal(2, uncached.QuestionsEmbedded);
    }

    private sealed class CountingEmbedder(IPassageEmbedder inner) : IPassageEmbedder
    {
        private int _passages;
        private int _questions;

        public int PassagesEmbedded => _passages;

        public int QuestionsEmbedded => _questions;

        public string Model => inner.Model;

        public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            // A passage's text is "title\ntext" (KnowledgeBase.EmbeddingText); these tests' questions have no line break.
            Interlocked.Add(ref _passages, texts.Count(t => t.Contains('\n', StringComparison.Ordinal)));
            Interlocked.Add(ref _questions, texts.Count(t => !t.Contains('\n', StringComparison.Ordinal)));
            return await inner.EmbedAsync(texts, cancellationToken);
        }
    }
}
