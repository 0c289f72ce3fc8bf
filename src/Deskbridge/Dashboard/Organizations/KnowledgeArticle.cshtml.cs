using Deskbridge.Knowledge;
using Microsoft.AspNetCore.Mvc;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>One article: the Markdown editor with its preview (live while typing, and from the Preview button without script), save and delete.</summary>
public sealed class KnowledgeArticleModel(KnowledgeStore store) : OrganizationPage
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

    public async Task<IActionResult> OnPostPreviewAsync(string? title, string? slug, string? language, string? markdown, CancellationToken ct)
    {
        (Title, Slug, Language, Markdown) = (title, slug, language, markdown);
        Article = ArticleId is { } id ? await store.GetAsync(Organization.Id, id, ct) : null;
        PreviewHtml = MarkdownText.ToSafeHtml(markdown ?? "");
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string? title, string? slug, string? language, string? markdown, CancellationToken ct)
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
            Notice = $"Saved \"{article.Title}\". The agent answers from it now.";
            NoticeKind = "ok";
            return Redirect($"/orgs/{Organization.Id}/knowledge/{article.Id}");
        }
        (Title, Slug, Language, Markdown) = (title, slug, language, markdown);
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
