using Deskbridge.Agent.Embedded;
using Deskbridge.Agent.Knowledge;

namespace Deskbridge.Agent.Tests;

public sealed class KnowledgeBaseTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "deskbridge-kb-" + Guid.NewGuid().ToString("N"));

    public KnowledgeBaseTests() => Directory.CreateDirectory(Path.Combine(_root, "acme"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Demo_knowledge_base_ships_in_the_output_folder()
    {
        var demo = new KnowledgeBaseCatalog().Get("demo");

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "knowledge"), KnowledgeBaseCatalog.DefaultRoot);
        Assert.InRange(demo.Articles.Count, 10, 14);
        Assert.Contains(demo.Articles, a => a.Id == "returns-and-refunds" && a.Title == "Returns and refunds");
    }

    [Fact]
    public void Title_is_the_first_heading_or_the_file_name_and_sections_become_passages()
    {
        var withHeading = KnowledgeArticle.Parse("a", "# Returns\n\nIntro text.\n\n## Refunds\n\nMoney back in 5 days.\n\n- Item one\n- Item two");
        var withoutHeading = KnowledgeArticle.Parse("store-opening-hours", "We open at nine.");

        Assert.Equal("Returns", withHeading.Title);
        Assert.Equal(["Intro text.", "Money back in 5 days.\n\nItem one.\n\nItem two."], withHeading.Passages.Select(p => p.Text));
        Assert.Equal("Refunds", withHeading.Passages[1].Heading);
        Assert.Equal("Store opening hours", withoutHeading.Title);
    }

    [Fact]
    public void Long_sections_are_split_into_focused_passages()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("Word", 70)) + ".";
        var article = KnowledgeArticle.Parse("long", $"# Long\n\n{paragraph}\n\n{paragraph}\n\n{paragraph}");

        Assert.Equal(3, article.Passages.Count);
    }

    [Fact]
    public void Reloads_the_index_when_a_file_is_added()
    {
        File.WriteAllText(Path.Combine(_root, "acme", "shipping.md"), "# Shipping\n\nWe ship rockets within 3 days.");
        var agent = new EmbeddedSupportAgent(new EmbeddedAgentOptions { KnowledgeRoot = _root });
        var request = AgentTestKit.Ask("How do I clean the telescope lens?") with { KnowledgeBaseKey = "acme" };

        var before = Assert.IsType<AgentHandoff>(agent.Decide(request));
        File.WriteAllText(Path.Combine(_root, "acme", "telescope-care.txt"), "To clean the telescope lens, use a soft lens brush and never touch the glass.");
        var after = Assert.IsType<AgentAnswer>(agent.Decide(request));

        Assert.Equal(HandoffTrigger.LowConfidence, before.Trigger);
        Assert.Equal("telescope-care", after.Sources[0].ArticleId);
        Assert.Equal("Telescope care", after.Sources[0].Title);
        Assert.Contains("use a soft lens brush", after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_on_demand_rebuilds_the_index()
    {
        File.WriteAllText(Path.Combine(_root, "acme", "a.md"), "# A\n\nAlpha.");
        var catalog = new KnowledgeBaseCatalog(_root);

        var first = catalog.Get("acme");
        var cached = catalog.Get("acme");
        var reloaded = catalog.Reload("acme");

        Assert.Same(first, cached);
        Assert.NotSame(first, reloaded);
    }

    [Fact]
    public void Corrects_typos_against_the_vocabulary()
    {
        var demo = new KnowledgeBaseCatalog().Get("demo");

        var hits = demo.Search("how do I retrun a pakage");

        Assert.Equal("returns-and-refunds", hits[0].Passage.ArticleId);
    }
}
