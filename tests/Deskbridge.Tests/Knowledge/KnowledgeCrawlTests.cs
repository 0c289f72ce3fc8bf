using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Knowledge;

/// <summary>Imports from a local web site the test serves: sitemaps, links, robots.txt, limits, and what a re-import changes and removes.</summary>
public sealed class KnowledgeCrawlTests : IAsyncLifetime
{
    private DeskbridgeTestHost _host = null!;
    private TestSite _site = null!;
    private DeskbridgeApi.Organization _organization = null!;

    public async Task InitializeAsync()
    {
        _site = await TestSite.StartAsync();
        _host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            // The site listens on this machine: the allowance the tests need, off in production.
            ["Knowledge:AllowLoopbackImports"] = "true",
            ["Knowledge:MaxPages"] = "5",
            ["Knowledge:MaxPageBytes"] = "20000",
            ["Knowledge:MaxImportTime"] = "00:00:04",
            ["Knowledge:RequestTimeout"] = "00:00:02",
        });
        _organization = await _host.CreateOrganizationAsync("Crawl Shop", "crawl-shop");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task Imports_the_same_site_pages_of_a_sitemap_as_robots_txt_allows()
    {
        _site.Text("/robots.txt", "text/plain", "User-agent: *\nDisallow: /private/\n\nUser-agent: SomeOtherBot\nDisallow: /\n");
        _site.Article("/help/shipping", "Shipping", "Parcels leave our warehouse within one day.");
        _site.Article("/help/returns", "Returns", "Returns are free for 30 days.");
        _site.Article("/private/internal", "Internal", "Staff only notes.");
        _site.Sitemap("/sitemap.xml", "/help/shipping", "/help/returns", "/private/internal", "https://elsewhere.example/help/other");

        var report = await ImportAsync("/sitemap.xml");
        Assert.Equal(["Returns", "Shipping"], Titles(report["added"]));
        var skipped = report["skipped"]!.AsArray().Select(s => ((string)s!["url"]!, (string)s["reason"]!)).ToList();
        Assert.Contains(skipped, s => s.Item1.EndsWith("/private/internal", StringComparison.Ordinal) && s.Item2.Contains("robots.txt", StringComparison.Ordinal));
        Assert.Contains(skipped, s => s.Item1 == "https://elsewhere.example/help/other" && s.Item2 == "another site");
        Assert.DoesNotContain("/private/internal", _site.Requested);

        var shipping = await ArticleAsync("Shipping");
        Assert.Equal("Parcels leave our warehouse within one day.", (string?)shipping["markdown"]);
        Assert.Equal("Url", (string?)shipping["source"]);
        Assert.Equal(_site.Url("/help/shipping").ToString(), (string?)shipping["sourceUrl"]);
        Assert.Equal("en", (string?)shipping["language"]);
    }

    [Fact]
    public async Task Reimport_updates_what_changed_and_reports_what_it_removed()
    {
        _site.Article("/help/a", "Alpha", "First text.");
        _site.Article("/help/b", "Beta", "Beta text.");
        _site.Article("/help/c", "Gamma", "Gamma text.");
        _site.Article("/help/d", "Delta", "Delta text.");
        _site.Sitemap("/sitemap.xml", "/help/a", "/help/b", "/help/c", "/help/d");
        Assert.Equal(4, (await ImportAsync("/sitemap.xml"))["added"]!.AsArray().Count);

        _site.Article("/help/a", "Alpha", "Changed text.");
        _site.Remove("/help/c");                                  // answers 404 now
        _site.Sitemap("/sitemap.xml", "/help/a", "/help/c", "/help/d", "/help/e"); // b left the sitemap
        _site.Article("/help/e", "Epsilon", "New page.");
        _site.Set("/help/d", new TestSite.Response(503, "text/plain", [])); // down for now: its article stays

        var report = await ImportAsync("/sitemap.xml");
        Assert.Equal(["Epsilon"], Titles(report["added"]));
        Assert.Equal(["Alpha"], Titles(report["updated"]));
        Assert.Equal(["Beta", "Gamma"], Titles(report["removed"]));
        Assert.Null((string?)report["limitReached"]);
        Assert.Equal(["Alpha", "Delta", "Epsilon"], Titles(await _host.GetJsonAsync<JsonArray>($"api/organizations/{_organization.Id}/knowledge/articles")));
        Assert.Equal("Changed text.", (string?)(await ArticleAsync("Alpha"))["markdown"]);

        var again = await ImportAsync("/sitemap.xml");
        Assert.Empty(again["added"]!.AsArray());
        Assert.Empty(again["updated"]!.AsArray());
        Assert.Equal(["Alpha", "Epsilon"], Titles(again["unchanged"]));
    }

    [Fact]
    public async Task A_page_import_follows_same_folder_links_within_the_page_limit_and_keeps_articles_it_did_not_reach()
    {
        var links = string.Concat(Enumerable.Range(1, 8).Select(i => $"<a href=\"/docs/p{i}\">p{i}</a> "));
        _site.Page("/docs/index", $"<html><body><main><h1>Docs</h1><p>Start here. {links} <a href=\"/blog/post\">blog</a> <a href=\"mailto:a@b.c\">mail</a></p></main></body></html>");
        for (var i = 1; i <= 8; i++)
        {
            _site.Article($"/docs/p{i}", $"Page {i}", $"Text of page {i}.");
        }
        _site.Article("/blog/post", "Blog", "Not help.");

        var report = await ImportAsync("/docs/index", followLinks: true);
        Assert.Equal(5, report["added"]!.AsArray().Count);
        Assert.Contains("5 pages", (string?)report["limitReached"], StringComparison.Ordinal);
        Assert.DoesNotContain("/blog/post", _site.Requested);

        // A re-import at the limit removes nothing it merely did not reach.
        _site.Page("/docs/index", "<html><body><main><h1>Docs</h1><p>Start here, rewritten. <a href=\"/docs/p5\">p5</a> <a href=\"/docs/p6\">p6</a> <a href=\"/docs/p7\">p7</a> <a href=\"/docs/p8\">p8</a> <a href=\"/docs/p1\">p1</a></p></main></body></html>");
        var again = await ImportAsync("/docs/index", followLinks: true);
        Assert.NotNull((string?)again["limitReached"]);
        Assert.Empty(again["removed"]!.AsArray());
    }

    [Fact]
    public async Task Skips_pages_over_the_size_limit_and_stops_at_the_time_limit()
    {
        _site.Article("/big", "Big", new string('x', 30_000));
        _site.Article("/slow1", "Slow one", "Slow text.");
        _site.Page("/slow2", "<html><body><main><h1>Slow two</h1><p>Late.</p></main></body></html>", delay: TimeSpan.FromSeconds(1.5));
        _site.Page("/slow3", "<html><body><main><h1>Slow three</h1><p>Later.</p></main></body></html>", delay: TimeSpan.FromSeconds(1.5));
        _site.Page("/slow4", "<html><body><main><h1>Slow four</h1><p>Latest.</p></main></body></html>", delay: TimeSpan.FromSeconds(1.5));
        _site.Article("/after", "After", "Never reached.");
        _site.Sitemap("/sitemap.xml", "/big", "/slow1", "/slow2", "/slow3", "/slow4", "/after");

        var started = System.Diagnostics.Stopwatch.StartNew();
        var report = await ImportAsync("/sitemap.xml");
        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(8));
        var skipped = report["skipped"]!.AsArray().ToDictionary(s => new Uri((string)s!["url"]!).AbsolutePath, s => (string)s!["reason"]!);
        Assert.Contains("larger than the limit", skipped["/big"], StringComparison.Ordinal);
        Assert.Contains("time limit", skipped["/after"], StringComparison.Ordinal);
        Assert.Contains("time limit", (string?)report["limitReached"], StringComparison.Ordinal);
        Assert.Contains("Slow one", Titles(report["added"]));
    }

    [Fact]
    public async Task Robots_txt_that_disallows_everything_for_us_stops_the_import_before_any_page()
    {
        _site.Text("/robots.txt", "text/plain", "User-agent: DeskbridgeKnowledgeImport\nDisallow: /\n\nUser-agent: *\nAllow: /\n");
        _site.Article("/help", "Help", "Text.");
        var response = await PostImportAsync(_site.Url("/help").ToString(), false);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("robots.txt", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"], StringComparison.Ordinal);
        Assert.DoesNotContain("/help", _site.Requested);
    }

    [Fact]
    public async Task Refuses_urls_that_are_not_http_or_point_at_private_networks_when_loopback_is_not_allowed()
    {
        await using var strict = await DeskbridgeTestHost.StartAsync();
        var organization = await strict.CreateOrganizationAsync();
        _site.Article("/help", "Help", "Text.");
        foreach (var url in new[] { _site.Url("/help").ToString(), "http://localhost:1/", "http://10.0.0.7/", "http://169.254.169.254/latest/meta-data/",
                     "http://[::1]/", "http://[fd00::1]/", "http://192.168.1.1/", "http://0.0.0.0/", "ftp://example.com/", "not a url", "http://user:pw@example.com/" })
        {
            var response = await strict.Http.PostAsJsonAsync($"api/organizations/{organization.Id}/knowledge/imports", new { url });
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {response.StatusCode}");
            Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]?["url"]);
        }
        Assert.DoesNotContain("/help", _site.Requested);
        Assert.Empty(await strict.GetJsonAsync<JsonArray>($"api/organizations/{organization.Id}/knowledge/articles"));
    }

    [Fact]
    public async Task Redirects_to_another_site_are_not_followed()
    {
        _site.Set("/moved", new TestSite.Response(302, "text/plain", [], Location: "http://127.0.0.2:9/elsewhere"));
        _site.Set("/here", new TestSite.Response(301, "text/plain", [], Location: "/help/target"));
        _site.Article("/help/target", "Target", "Moved here.");
        _site.Sitemap("/sitemap.xml", "/moved", "/here");
        var report = await ImportAsync("/sitemap.xml");
        Assert.Equal(["Target"], Titles(report["added"]));
        Assert.Contains(report["skipped"]!.AsArray(), s => ((string)s!["reason"]!).Contains("another site", StringComparison.Ordinal));
    }

    private async Task<JsonObject> ImportAsync(string path, bool followLinks = false)
    {
        var response = await PostImportAsync(_site.Url(path).ToString(), followLinks);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private Task<HttpResponseMessage> PostImportAsync(string url, bool followLinks) =>
        _host.Http.PostAsJsonAsync($"api/organizations/{_organization.Id}/knowledge/imports", new { url, followLinks });

    private async Task<JsonObject> ArticleAsync(string title)
    {
        var summary = (await _host.GetJsonAsync<JsonArray>($"api/organizations/{_organization.Id}/knowledge/articles")).Single(a => (string?)a!["title"] == title)!;
        return await _host.GetJsonAsync<JsonObject>($"api/organizations/{_organization.Id}/knowledge/articles/{(string)summary["id"]!}");
    }

    private static List<string> Titles(JsonNode? list) => [.. list!.AsArray().Select(a => (string)a!["title"]!).Order(StringComparer.Ordinal)];
}
