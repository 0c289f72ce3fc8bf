using Deskbridge.Knowledge;
using Deskbridge.Knowledge.Gaps;
using Microsoft.AspNetCore.Mvc;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>One article: the Markdown editor with its preview (live while typing, and from the Preview button without script), save and delete.</summary>
public sealed class KnowledgeArticleModel(KnowledgeStore store, KnowledgeGapReport gaps, TimeProvider time) : OrganizationPage
{
    protected override string Section => "knowledge";

    /// <summary>The route's article: an id, or "new".</summary>
    [BindProperty(SupportsGet = true, Name = "article")]
    public string? ArticleKey { get; set; }

    /// <summary>Null on /knowledge/new.</summary>
    public Guid? ArticleId => Guid.TryParse(ArticleKey, out var id) ? id : null;

    private bool IsKnownRoute => ArticleKey == "new" || ArticleId is not null;

    public KnowledgeArticleRecord? Article { get; private set; }

    public string? Title { get; set; }
    public string? Slug { get; set; }
    public string? Language { get; set; }
    public string? Markdown { get; set; }
    public string PreviewHtml { get; private set; } = "";

    /// <summary>I3: the knowledge-gap questions a new article is written from ("1,2,3"); saving marks them addressed.</summary>
    public string? Gap { get; set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!IsKnownRoute)
        {
            return NotFound();
        }
        if (ArticleId is { } id)
        {
            if (await store.GetAsync(Organization.Id, id, ct) is not { } article)
            {
                return NotFound();
            }
            Article = article;
            (Title, Slug, Language, Markdown) = (article.Title, article.Slug, article.Language, article.Markdown);
        }
        PreviewHtml = MarkdownText.ToSafeHtml(Markdown ?? "");
        return Page();
    }

    /// <summary>
    /// I3: a new article pre-filled from a knowledge-gap group (the gaps page posts it). A POST, so customers' words stay out
    /// of URLs; cut to the editor's limits, and shown only as field values (encoded) and through the sanitized preview.
    /// </summary>
    public IActionResult OnPostPrefill(string? title, string? markdown, string? gap)
    {
        if (ArticleKey != "new")
        {
            return NotFound();
        }
        Title = Cut(title, ArticleRules.TitleLimit);
        Markdown = Cut(markdown, GapPrefill.MaxMarkdown);
        Gap = GapPrefill.FormatIds(GapPrefill.ParseIds(gap)) is { Length: > 0 } ids ? ids : null;
        PreviewHtml = MarkdownText.ToSafeHtml(Markdown ?? "");
        return Page();
    }

    private static string? Cut(string? text, int limit) => text is null || text.Length <= limit ? text : text[..limit];

    public async Task<IActionResult> OnPostPreviewAsync(string? title, string? slug, string? language, string? markdown, string? gap, CancellationToken ct)
    {
        (Title, Slug, Language, Markdown) = (title, slug, language, markdown);
        Gap = ArticleKey == "new" && GapPrefill.ParseIds(gap) is { Count: > 0 } ids ? GapPrefill.FormatIds(ids) : null;
        Article = ArticleId is { } id ? await store.GetAsync(Organization.Id, id, ct) : null;
        PreviewHtml = MarkdownText.ToSafeHtml(markdown ?? "");
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string? title, string? slug, string? language, string? markdown, string? gap, CancellationToken ct)
    {
        if (!IsKnownRoute)
        {
            return NotFound();
        }
        var input = new ArticleInput(title, markdown, string.IsNullOrWhiteSpace(slug) ? null : slug.Trim(), string.IsNullOrWhiteSpace(language) ? null : language.Trim());
        var saved = ArticleId is { } id
            ? await store.UpdateAsync(Organization, id, input, User.Identity?.Name, ct)
            : await store.CreateAsync(Organization, input, User.Identity?.Name, ct);
        if (saved.NotFound)
        {
            return NotFound();
        }
        if (saved.Article is { } article)
        {
            var addressed = ArticleId is null ? await gaps.MarkAddressedAsync(Organization.Id, GapPrefill.ParseIds(gap), article.Id, time.GetUtcNow(), ct) : 0;
            Notice = $"Saved \"{article.Title}\". The agent answers from it now."
                + (addressed > 0 ? $" {addressed} knowledge-gap {(addressed == 1 ? "question is" : "questions are")} marked addressed by it." : "");
            NoticeKind = "ok";
            return Redirect($"/orgs/{Organization.Id}/knowledge/{article.Id}");
        }
        (Title, Slug, Language, Markdown) = (title, slug, language, markdown);
        Gap = ArticleId is null && GapPrefill.ParseIds(gap) is { Count: > 0 } kept ? GapPrefill.FormatIds(kept) : null;
        Errors = saved.Errors;
        Article = ArticleId is { } existing ? await store.GetAsync(Organization.Id, existing, ct) : null;
        PreviewHtml = MarkdownText.ToSafeHtml(markdown ?? "");
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        if (ArticleId is not { } id || !await store.DeleteAsync(Organization, id, User.Identity?.Name, ct))
        {
            return NotFound();
        }
        Notice = "Article deleted. The agent no longer answers from it.";
        NoticeKind = "ok";
        return Redirect($"/orgs/{Organization.Id}/knowledge");
    }
}
