using Deskbridge.Knowledge.Import;
using Deskbridge.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Knowledge;

/// <summary>An article an import touched.</summary>
public sealed record ImportedArticle(Guid Id, string Slug, string Title, string? SourceUrl);

/// <summary>What an import did: articles added, updated (their text changed), left alone, removed, and what it skipped and why.</summary>
public sealed record ImportReport(
    string? ImportedFrom,
    IReadOnlyList<ImportedArticle> Added,
    IReadOnlyList<ImportedArticle> Updated,
    IReadOnlyList<ImportedArticle> Unchanged,
    IReadOnlyList<ImportedArticle> Removed,
    IReadOnlyList<SkippedPage> Skipped,
    string? LimitReached);

/// <summary>One article an import would write, keyed by where it came from (page URL or file name).</summary>
public sealed record ImportItem(string SourceUrl, ArticleInput Input);

public sealed partial class KnowledgeStore
{
    /// <summary>
    /// Writes an import in one transaction (one revision): an item whose source already has an article updates it (or
    /// leaves it when its text is the same), others are added; the previous articles of the same import for which
    /// <paramref name="remove"/> says so are removed. Items that break the article rules are skipped with the reason.
    /// </summary>
    public async Task<ImportReport> ApplyImportAsync(Organization organization, KnowledgeSource source, string? importedFrom,
        IReadOnlyList<ImportItem> items, Func<KnowledgeArticleRecord, bool> remove, IReadOnlyList<SkippedPage> skippedBefore,
        string? limitReached, string? by, CancellationToken ct)
    {
        List<ImportedArticle> added = [], updated = [], unchanged = [], removed = [];
        List<SkippedPage> skipped = [];
        await ChangeAsync(organization, by, async () =>
        {
            added.Clear(); updated.Clear(); unchanged.Clear(); removed.Clear(); skipped.Clear();
            skipped.AddRange(skippedBefore);
            var previous = await db.KnowledgeArticles
                .Where(a => a.OrganizationId == organization.Id && a.Source == source && a.ImportedFrom == importedFrom)
                .ToListAsync(ct);
            var count = await db.KnowledgeArticles.CountAsync(a => a.OrganizationId == organization.Id, ct) + db.ChangeTracker.Entries<KnowledgeArticleRecord>().Count(e => e.State == EntityState.Added);
            var touched = new HashSet<Guid>();
            foreach (var item in items)
            {
                var errors = ArticleRules.Validate(item.Input, Options);
                if (errors.Count > 0)
                {
                    skipped.Add(new SkippedPage(item.SourceUrl, string.Join(" ", errors.Values.SelectMany(v => v))));
                    continue;
                }
                var article = previous.FirstOrDefault(a => a.SourceUrl == item.SourceUrl);
                var title = item.Input.Title!.Trim();
                if (article is not null)
                {
                    touched.Add(article.Id);
                    var language = ArticleRules.LanguageOf(item.Input);
                    if (article.ContentHash == ArticleRules.Hash(title, language, item.Input.Markdown!))
                    {
                        unchanged.Add(View(article));
                        continue;
                    }
                    article.Title = title;
                    article.Markdown = item.Input.Markdown!;
                    Apply(article, item.Input, by);
                    updated.Add(View(article));
                    continue;
                }
                if (count >= Options.MaxArticles)
                {
                    skipped.Add(new SkippedPage(item.SourceUrl, $"the organization has the most articles allowed ({Options.MaxArticles})"));
                    continue;
                }
                article = new KnowledgeArticleRecord
                {
                    OrganizationId = organization.Id,
                    Slug = await FreeSlugAsync(organization.Id, ArticleRules.SlugFrom(item.Input.Slug ?? title), ct),
                    Title = title,
                    Markdown = item.Input.Markdown!,
                    Source = source,
                    SourceUrl = item.SourceUrl,
                    ImportedFrom = importedFrom,
                    ContentHash = "",
                };
                Apply(article, item.Input, by);
                db.KnowledgeArticles.Add(article);
                count++;
                added.Add(View(article));
            }
            foreach (var article in previous.Where(a => !touched.Contains(a.Id) && remove(a)))
            {
                db.KnowledgeArticles.Remove(article);
                removed.Add(View(article));
            }
            return new ArticleSave(null, []);
        }, ct);
        return new ImportReport(importedFrom, added, updated, unchanged, removed, skipped, limitReached);
    }

    private static ImportedArticle View(KnowledgeArticleRecord a) => new(a.Id, a.Slug, a.Title, a.SourceUrl);
}
