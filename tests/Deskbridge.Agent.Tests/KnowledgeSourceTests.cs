using Deskbridge.Agent.Knowledge;

namespace Deskbridge.Agent.Tests;

/// <summary>The catalog over an article source other than folders (the service's database is one): versions, recheck interval, invalidation.</summary>
public sealed class KnowledgeSourceTests
{
    [Fact]
    public void Catalog_asks_the_source_for_its_version_at_most_once_per_recheck_interval_and_rebuilds_when_it_changed()
    {
        var source = new ListSource();
        source.Set("acme", new Article("returns", "# Returns\n\nReturns are free for 30 days.", "en"));
        var clock = new ManualClock();
        var catalog = new KnowledgeBaseCatalog(source, TimeSpan.FromSeconds(2), clock);

        var first = catalog.Get("acme");
        Assert.Equal("en", Assert.Single(first.Articles).Language);
        Assert.NotEmpty(first.Search("free returns"));
        var versionsAsked = source.VersionCalls;

        source.Set("acme", new Article("returns", "# Returns\n\nReturns cost 5 euros.", "en"));
        Assert.Same(first, catalog.Get("acme")); // within the interval: the cached index, the source not asked
        Assert.Equal(versionsAsked, source.VersionCalls);

        clock.Advance(TimeSpan.FromSeconds(2.1));
        var second = catalog.Get("acme");
        Assert.NotSame(first, second);
        Assert.NotEmpty(second.Search("euros"));
        Assert.Equal(2, source.ArticleCalls); // built once, rebuilt once for the change

        source.Set("acme", new Article("returns", "# Returns\n\nReturns are back to free.", "en"));
        catalog.Invalidate("acme"); // this process made the change: live at once
        Assert.NotEmpty(catalog.Get("acme").Search("back"));
    }

    private sealed record Article(string Id, string Markdown, string? Language);

    private sealed class ListSource : IKnowledgeArticleSource
    {
        private readonly Dictionary<string, (int Version, Article[] Articles)> _keys = [];

        public int VersionCalls { get; private set; }
        public int ArticleCalls { get; private set; }

        public void Set(string key, params Article[] articles) =>
            _keys[key] = (_keys.TryGetValue(key, out var current) ? current.Version + 1 : 1, articles);

        public string Version(string key)
        {
            VersionCalls++;
            return _keys.TryGetValue(key, out var entry) ? entry.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";
        }

        public IReadOnlyList<KnowledgeArticle> Articles(string key)
        {
            ArticleCalls++;
            return _keys.TryGetValue(key, out var entry)
                ? [.. entry.Articles.Select(a => KnowledgeArticle.Parse(a.Id, a.Markdown) with { Language = a.Language })]
                : [];
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
