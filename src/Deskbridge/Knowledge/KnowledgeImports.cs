using Deskbridge.Knowledge.Import;
using Deskbridge.Organizations;
using Microsoft.Extensions.Options;

namespace Deskbridge.Knowledge;

/// <summary>A refused import: the field (API name), the message, and the HTTP status it answers with.</summary>
public sealed record ImportRefusal(string Field, string Message, int Status = StatusCodes.Status400BadRequest);

/// <summary>Imports by upload and from the web, shared by the API and the dashboard so both check and answer alike.</summary>
public sealed class KnowledgeImports(KnowledgeStore store, SiteCrawler crawler, ImportAddressPolicy addresses, IOptions<KnowledgeOptions> options)
{
    public sealed record UploadedFile(string FileName, long Length, Func<CancellationToken, Task<byte[]>> ReadAsync);

    /// <summary>Reads each file as an article; a file uploaded again (same name) replaces the article it made last time.</summary>
    public async Task<(ImportReport? Report, ImportRefusal? Refusal)> UploadAsync(
        Organization organization, IReadOnlyList<UploadedFile> files, string? language, string? by, CancellationToken ct)
    {
        if (files.Count == 0)
        {
            return (null, new ImportRefusal("file", "Choose at least one file to upload."));
        }
        if (!string.IsNullOrEmpty(language) && ArticleRules.Validate(new ArticleInput("x", "x", null, language), options.Value).TryGetValue("language", out var bad))
        {
            return (null, new ImportRefusal("language", bad[0]));
        }
        var items = new List<ImportItem>();
        var skipped = new List<SkippedPage>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file.FileName);
            if (file.Length > options.Value.MaxUploadBytes)
            {
                return (null, new ImportRefusal("file", $"{name} is larger than the limit of {options.Value.MaxUploadBytes} bytes ({file.Length}).", StatusCodes.Status413PayloadTooLarge));
            }
            var read = FileImport.Read(name, await file.ReadAsync(ct));
            if (read.Unsupported)
            {
                return (null, new ImportRefusal("file", read.Problem!, StatusCodes.Status415UnsupportedMediaType));
            }
            if (read.Problem is not null)
            {
                skipped.Add(new SkippedPage(name, read.Problem));
                continue;
            }
            items.Add(new ImportItem(name, new ArticleInput(read.Title, read.Markdown, null, NonEmpty(language) ?? read.Language)));
        }
        return (await store.ApplyImportAsync(organization, KnowledgeSource.Upload, null, items, _ => false, skipped, null, by, ct), null);
    }

    /// <summary>
    /// Imports a page (and, with <paramref name="followLinks"/>, the same-site pages it links to under its folder) or a
    /// sitemap's pages. Importing the same address again updates what changed and removes the articles of pages that are
    /// gone from the sitemap or the links, answer 404/410, or that robots.txt now refuses; pages that failed for a time or
    /// were not reached within the limits keep their articles.
    /// </summary>
    public async Task<(ImportReport? Report, ImportRefusal? Refusal)> FromUrlAsync(
        Organization organization, string? address, bool followLinks, string? by, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > 2048 || !Uri.TryCreate(address.Trim(), UriKind.Absolute, out var url))
        {
            return (null, new ImportRefusal("url", "Give the absolute http(s) address of a page or a sitemap (at most 2048 characters)."));
        }
        if (await addresses.ResolvedProblemAsync(url, ct) is { } problem)
        {
            return (null, new ImportRefusal("url", problem));
        }
        url = new UriBuilder(url) { Fragment = "" }.Uri;
        var crawl = await crawler.CrawlAsync(url, followLinks, ct);
        if (crawl.StartProblem is not null)
        {
            return (null, new ImportRefusal("url", crawl.StartProblem, StatusCodes.Status422UnprocessableEntity));
        }
        var items = crawl.Pages.Select(p => new ImportItem(p.Url.ToString(), new ArticleInput(p.Title, p.Markdown, null, p.Language))).ToList();
        var found = items.Select(i => i.SourceUrl).ToHashSet(StringComparer.Ordinal);
        var report = await store.ApplyImportAsync(organization, KnowledgeSource.Url, url.ToString(), items,
            // At a limit, a page not found may just not have been reached: then only pages known to be gone are removed.
            a => a.SourceUrl is null || (!crawl.Kept.Contains(a.SourceUrl)
                && (crawl.Gone.Contains(a.SourceUrl) || (crawl.LimitReached is null && !found.Contains(a.SourceUrl)))),
            crawl.Skipped, crawl.LimitReached, by, ct);
        return (report, null);
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
