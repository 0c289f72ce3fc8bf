using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.Options;

namespace Deskbridge.Knowledge.Import;

/// <summary>A page read from the site, as an article.</summary>
public sealed record CrawledPage(Uri Url, string Title, string Markdown, string? Language);

/// <summary>A page that was not imported, and why.</summary>
public sealed record SkippedPage(string Url, string Reason);

/// <summary>
/// What a crawl found. <see cref="Gone"/> pages answered 404/410 or robots.txt now refuses them: a re-import removes their
/// articles. <see cref="Kept"/> pages could not be read this time (an error, a time-out, a limit): their articles stay.
/// </summary>
public sealed record CrawlResult(
    IReadOnlyList<CrawledPage> Pages, IReadOnlyList<SkippedPage> Skipped, IReadOnlySet<string> Gone, IReadOnlySet<string> Kept,
    string? StartProblem, string? LimitReached);

/// <summary>
/// Reads a help site for import: one page, the same-site pages linked from it, or every page of a sitemap. Same origin only
/// (scheme, host and port of the start URL, redirects included), robots.txt respected (RFC 9309), and bounded by
/// <see cref="KnowledgeOptions"/>: pages, bytes per response, time for the whole import.
/// </summary>
public sealed class SiteCrawler(IHttpClientFactory clients, IOptions<KnowledgeOptions> options)
{
    public const string ClientName = "knowledge-import";
    private const int MaxRedirects = 5;
    private const int MaxSitemaps = 20;

    private KnowledgeOptions Options => options.Value;

    public async Task<CrawlResult> CrawlAsync(Uri start, bool followLinks, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Options.MaxImportTime);
        var http = clients.CreateClient(ClientName);
        var pages = new List<CrawledPage>();
        var skipped = new List<SkippedPage>();
        var gone = new HashSet<string>(StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<Uri>();
        string? limit = null;

        var robots = await RobotsAsync(http, start, deadline.Token);
        if (!robots.Allows(start.PathAndQuery))
        {
            return new CrawlResult([], [new SkippedPage(start.ToString(), Reason(robots))], gone, kept,
                $"robots.txt of {start.GetLeftPart(UriPartial.Authority)} does not let us fetch {start}.", null);
        }

        var first = await FetchAsync(http, start, robots, deadline.Token);
        if (first.Problem is not null)
        {
            return new CrawlResult([], [new SkippedPage(start.ToString(), first.Problem)], gone, kept, $"{start} could not be imported: {first.Problem}", null);
        }
        seen.Add(Key(start));
        var sitemaps = 0;
        if (IsSitemap(first))
        {
            var sitemapQueue = new Queue<(Uri Url, Fetched Body)>([(start, first)]);
            while (sitemapQueue.TryDequeue(out var sitemap))
            {
                sitemaps++;
                var (locations, nested, problem) = ParseSitemap(sitemap.Body.Text!);
                if (problem is not null)
                {
                    return new CrawlResult([], [new SkippedPage(sitemap.Url.ToString(), problem)], gone, kept, $"{sitemap.Url} is not a readable sitemap: {problem}", null);
                }
                foreach (var location in locations)
                {
                    Enqueue(location);
                }
                foreach (var child in nested.Select(n => Resolve(sitemap.Url, n)).OfType<Uri>())
                {
                    if (!SameOrigin(start, child) || sitemaps + sitemapQueue.Count >= MaxSitemaps || !seen.Add(Key(child)))
                    {
                        skipped.Add(new SkippedPage(child.ToString(), SameOrigin(start, child) ? $"more than {MaxSitemaps} sitemaps" : "another site"));
                        continue;
                    }
                    var fetched = await FetchAsync(http, child, robots, deadline.Token);
                    if (fetched.Problem is not null || !IsSitemap(fetched))
                    {
                        skipped.Add(new SkippedPage(child.ToString(), fetched.Problem ?? "not a sitemap"));
                        continue;
                    }
                    sitemapQueue.Enqueue((child, fetched));
                }
            }
        }
        else
        {
            Add(start, first);
        }

        while (queue.TryDequeue(out var url))
        {
            if (pages.Count >= Options.MaxPages)
            {
                limit ??= $"The import stopped at the limit of {Options.MaxPages} pages.";
                kept.Add(url.ToString());
                skipped.Add(new SkippedPage(url.ToString(), "not reached: page limit"));
                continue;
            }
            if (deadline.IsCancellationRequested)
            {
                ct.ThrowIfCancellationRequested();
                limit ??= $"The import stopped at the time limit of {Options.MaxImportTime.TotalSeconds:0} s.";
                kept.Add(url.ToString());
                skipped.Add(new SkippedPage(url.ToString(), "not reached: time limit"));
                continue;
            }
            if (!robots.Allows(url.PathAndQuery))
            {
                gone.Add(url.ToString());
                skipped.Add(new SkippedPage(url.ToString(), Reason(robots)));
                continue;
            }
            var fetched = await FetchAsync(http, url, robots, deadline.Token);
            if (fetched.Problem is not null)
            {
                (fetched.Gone ? gone : kept).Add(url.ToString());
                skipped.Add(new SkippedPage(url.ToString(), fetched.Problem));
                continue;
            }
            Add(url, fetched);
        }
        return new CrawlResult(pages, skipped, gone, kept, null, limit);

        void Enqueue(Uri url)
        {
            if (!SameOrigin(start, url))
            {
                skipped.Add(new SkippedPage(url.ToString(), "another site"));
            }
            else if (seen.Add(Key(url)))
            {
                queue.Enqueue(url);
            }
        }

        void Add(Uri url, Fetched fetched)
        {
            if (fetched.Page is not { } page)
            {
                skipped.Add(new SkippedPage(url.ToString(), "no text to import"));
                return;
            }
            pages.Add(page with { Url = url });
            if (followLinks && fetched.Links is { } links)
            {
                var scope = start.AbsolutePath[..(start.AbsolutePath.LastIndexOf('/') + 1)];
                foreach (var link in links.Select(l => Resolve(url, l)).OfType<Uri>())
                {
                    // Links out of the start page's folder are another part of the site, not its help pages.
                    if (SameOrigin(start, link) && link.AbsolutePath.StartsWith(scope, StringComparison.Ordinal))
                    {
                        Enqueue(link);
                    }
                }
            }
        }
    }

    private static string Reason(RobotsTxt robots) => robots.DisallowsAll ? "robots.txt could not be read (so nothing may be fetched)" : "robots.txt disallows it";

    private async Task<RobotsTxt> RobotsAsync(HttpClient http, Uri start, CancellationToken ct)
    {
        var url = new Uri(start, "/robots.txt");
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 || status is >= 400 and < 500)
            {
                // RFC 9309: an unavailable robots.txt (4xx) allows everything. It asks crawlers to follow up to five redirects;
                // we follow none and, stricter, read a redirected robots.txt as unreachable (nothing is fetched).
                return status >= 400 ? RobotsTxt.AllowAll : RobotsTxt.Unreachable;
            }
            if (!response.IsSuccessStatusCode)
            {
                return RobotsTxt.Unreachable;
            }
            // RFC 9309: at least 500 KiB must be read; past our page limit the rest is ignored.
            var text = await ReadTextAsync(response, Math.Max(Options.MaxPageBytes, 500 * 1024), truncate: true, ct);
            return RobotsTxt.Parse(text ?? "", Options.UserAgent);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return RobotsTxt.Unreachable;
        }
    }

    private sealed record Fetched(string? Problem, bool Gone = false, string? MediaType = null, string? Text = null, CrawledPage? Page = null, IReadOnlyList<string>? Links = null);

    private async Task<Fetched> FetchAsync(HttpClient http, Uri url, RobotsTxt robots, CancellationToken ct)
    {
        var current = url;
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.UserAgent.ParseAdd(Options.UserAgent);
                request.Headers.Accept.ParseAdd("text/html, application/xhtml+xml, application/xml;q=0.9, text/xml;q=0.9, text/plain;q=0.8, text/markdown;q=0.8, application/pdf;q=0.7");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    var location = response.Headers.Location is { } l ? new Uri(current, l) : null;
                    if (location is null || hop >= MaxRedirects)
                    {
                        return new Fetched(location is null ? "a redirect without a location" : $"more than {MaxRedirects} redirects");
                    }
                    if (!SameOrigin(url, location))
                    {
                        return new Fetched($"redirects to another site ({location.GetLeftPart(UriPartial.Authority)})");
                    }
                    if (!robots.Allows(location.PathAndQuery))
                    {
                        return new Fetched("redirects to a page robots.txt disallows", Gone: true);
                    }
                    current = location;
                    continue;
                }
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
                {
                    return new Fetched($"HTTP {status} (the page is gone)", Gone: true);
                }
                if (!response.IsSuccessStatusCode)
                {
                    return new Fetched($"HTTP {status}");
                }
                var mediaType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant() ?? "";
                if (response.Content.Headers.ContentLength > Options.MaxPageBytes)
                {
                    return new Fetched($"larger than the limit of {Options.MaxPageBytes} bytes");
                }
                var bytes = await ReadBytesAsync(response, Options.MaxPageBytes, ct);
                if (bytes is null)
                {
                    return new Fetched($"larger than the limit of {Options.MaxPageBytes} bytes");
                }
                return Interpret(url, mediaType, bytes, response.Content.Headers.ContentType);
            }
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Fetched($"no answer within {Options.RequestTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return new Fetched($"could not be reached ({ex.Message})");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new Fetched("not reached: time limit");
        }
    }

    private static Fetched Interpret(Uri url, string mediaType, byte[] bytes, MediaTypeHeaderValue? contentType)
    {
        if (mediaType == "application/pdf")
        {
            var pdf = FileImport.Read(FileName(url, ".pdf"), bytes);
            return pdf.Problem is not null ? new Fetched(pdf.Problem) : new Fetched(null, MediaType: mediaType, Page: new CrawledPage(url, pdf.Title!, pdf.Markdown!, null));
        }
        var encoding = Encoding.UTF8;
        if (contentType?.CharSet is { Length: > 0 } charset)
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
            }
        }
        var text = encoding.GetString(bytes).TrimStart('\uFEFF');
        switch (mediaType)
        {
            case "text/html" or "application/xhtml+xml":
                var page = HtmlToMarkdown.Convert(text);
                return new Fetched(null, MediaType: mediaType, Text: text, Links: page.Links,
                    Page: string.IsNullOrWhiteSpace(page.Markdown) ? null : new CrawledPage(url, page.Title ?? FileImport.TitleFromName(FileName(url, "")), page.Markdown, page.Language));
            case "application/xml" or "text/xml":
                return new Fetched(null, MediaType: mediaType, Text: text);
            case "text/plain" or "text/markdown":
                var (title, body) = MarkdownText.SplitTitle(text);
                return new Fetched(null, MediaType: mediaType, Text: text,
                    Page: string.IsNullOrWhiteSpace(body) ? null : new CrawledPage(url, title ?? FileImport.TitleFromName(FileName(url, "")), body, null));
            default:
                return new Fetched($"not a page we can import ({(mediaType.Length == 0 ? "no content type" : mediaType)})");
        }
    }

    private static bool IsSitemap(Fetched fetched) =>
        fetched.MediaType is "application/xml" or "text/xml" && fetched.Text is { } text
        && (text.Contains("<urlset", StringComparison.Ordinal) || text.Contains("<sitemapindex", StringComparison.Ordinal));

    private static (List<Uri> Locations, List<string> Nested, string? Problem) ParseSitemap(string xml)
    {
        try
        {
            // No DTDs, no external entities: a sitemap is data from someone else's server.
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var document = XDocument.Load(reader);
            var root = document.Root!;
            var locs = root.Elements().Select(e => e.Elements().FirstOrDefault(c => c.Name.LocalName == "loc")?.Value.Trim()).OfType<string>().ToList();
            if (root.Name.LocalName == "sitemapindex")
            {
                return ([], locs, null);
            }
            return ([.. locs.Select(l => Uri.TryCreate(l, UriKind.Absolute, out var u) ? u : null).OfType<Uri>()], [], null);
        }
        catch (XmlException ex)
        {
            return ([], [], ex.Message);
        }
    }

    private static async Task<byte[]?> ReadBytesAsync(HttpResponseMessage response, long limit, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static async Task<string?> ReadTextAsync(HttpResponseMessage response, long limit, bool truncate, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[limit];
        var total = 0;
        int read;
        while (total < limit && (read = await stream.ReadAsync(buffer.AsMemory(total, (int)Math.Min(16 * 1024, limit - total)), ct)) > 0)
        {
            total += read;
        }
        return total == limit && !truncate ? null : Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static Uri? Resolve(Uri baseUrl, string link)
    {
        if (!Uri.TryCreate(baseUrl, link.Trim(), out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }
        // The fragment names a place on the same page.
        return new UriBuilder(url) { Fragment = "" }.Uri;
    }

    public static bool SameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static string Key(Uri url) => url.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);

    private static string FileName(Uri url, string extension)
    {
        var name = url.Segments.LastOrDefault(s => s.Trim('/').Length > 0)?.Trim('/') ?? url.Host;
        return Path.HasExtension(name) ? name : name + extension;
    }
}
