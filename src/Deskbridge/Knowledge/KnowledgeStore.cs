using Deskbridge.Agent.Embedded;
using Deskbridge.Agent.Knowledge;
using Deskbridge.Organizations;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Knowledge;

/// <summary>The outcome of a save: the article, or the field errors (API names), or that the article does not exist.</summary>
public sealed record ArticleSave(KnowledgeArticleRecord? Article, Dictionary<string, string[]> Errors, bool NotFound = false)
{
    public static ArticleSave Invalid(string field, string message) => new(null, new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>
/// An organization's articles in the database: the one place that changes them (API, dashboard, imports, demo seed). Every
/// change bumps the organization's <see cref="KnowledgeRevision"/> in the same transaction and drops this instance's index,
/// so the agent answers from it on the next message here and within <see cref="KnowledgeOptions.RecheckInterval"/> on others.
/// </summary>
public sealed partial class KnowledgeStore(
    DeskbridgeDb db, KnowledgeBaseCatalog catalog, KnowledgeRevisionWatcher revisions, IOptions<KnowledgeOptions> options, IOptions<EmbeddedAgentOptions> agent,
    TimeProvider time, ILogger<KnowledgeStore> logger)
{
    private KnowledgeOptions Options => options.Value;

    /// <summary>True once the organization's knowledge lives in the database (its folder is then no longer read).</summary>
    public Task<bool> IsManagedAsync(Guid organizationId, CancellationToken ct) =>
        db.KnowledgeRevisions.AnyAsync(r => r.OrganizationId == organizationId, ct);

    /// <summary>The folder the operator's files for this organization would be in (read until the first change here).</summary>
    public string FolderOf(Organization organization) => new FolderKnowledgeSource(agent.Value.KnowledgeRoot).FolderOf(organization.Slug);

    /// <summary>The articles, by title; with a query, those whose title, slug or text contain it (any case).</summary>
    public async Task<List<KnowledgeArticleRecord>> ListAsync(Guid organizationId, string? query, CancellationToken ct)
    {
        var articles = db.KnowledgeArticles.AsNoTracking().Where(a => a.OrganizationId == organizationId);
        if (!string.IsNullOrWhiteSpace(query))
        {
            var q = query.Trim().ToLowerInvariant();
            // ToLower().Contains is what both providers translate (lower() and LIKE/strpos); an overload with a StringComparison is not.
#pragma warning disable CA1862
            articles = articles.Where(a => a.Title.ToLower().Contains(q) || a.Slug.Contains(q) || a.Markdown.ToLower().Contains(q));
#pragma warning restore CA1862
        }
        return await articles.OrderBy(a => a.Title).ThenBy(a => a.Slug).ToListAsync(ct);
    }

    public Task<KnowledgeArticleRecord?> GetAsync(Guid organizationId, Guid articleId, CancellationToken ct) =>
        db.KnowledgeArticles.AsNoTracking().SingleOrDefaultAsync(a => a.OrganizationId == organizationId && a.Id == articleId, ct);

    public async Task<ArticleSave> CreateAsync(Organization organization, ArticleInput input, string? by, CancellationToken ct,
        KnowledgeSource source = KnowledgeSource.Manual, string? sourceUrl = null, string? importedFrom = null)
    {
        var errors = ArticleRules.Validate(input, Options);
        if (errors.Count > 0)
        {
            return new ArticleSave(null, errors);
        }
        return await ChangeAsync(organization, by, async () =>
        {
            if (await db.KnowledgeArticles.CountAsync(a => a.OrganizationId == organization.Id, ct) >= Options.MaxArticles)
            {
                return ArticleSave.Invalid("markdown", $"An organization has at most {Options.MaxArticles} articles; remove one first.");
            }
            string slug;
            if (!string.IsNullOrEmpty(input.Slug))
            {
                slug = input.Slug;
                if (db.KnowledgeArticles.Local.Any(a => a.OrganizationId == organization.Id && a.Slug == slug)
                    || await db.KnowledgeArticles.AnyAsync(a => a.OrganizationId == organization.Id && a.Slug == slug, ct))
                {
                    return ArticleSave.Invalid("slug", $"Another article has the slug '{slug}'.");
                }
            }
            else
            {
                slug = await FreeSlugAsync(organization.Id, ArticleRules.SlugFrom(input.Title!), ct);
            }
            var article = new KnowledgeArticleRecord
            {
                OrganizationId = organization.Id,
                Slug = slug,
                Title = input.Title!.Trim(),
                Markdown = input.Markdown!,
                Source = source,
                SourceUrl = sourceUrl,
                ImportedFrom = importedFrom,
                ContentHash = "",
            };
            Apply(article, input, by);
            db.KnowledgeArticles.Add(article);
            return new ArticleSave(article, []);
        }, ct);
    }

    public async Task<ArticleSave> UpdateAsync(Organization organization, Guid articleId, ArticleInput input, string? by, CancellationToken ct)
    {
        var errors = ArticleRules.Validate(input, Options);
        if (errors.Count > 0)
        {
            return new ArticleSave(null, errors);
        }
        return await ChangeAsync(organization, by, async () =>
        {
            var article = await db.KnowledgeArticles.SingleOrDefaultAsync(a => a.OrganizationId == organization.Id && a.Id == articleId, ct);
            if (article is null)
            {
                return new ArticleSave(null, [], NotFound: true);
            }
            if (!string.IsNullOrEmpty(input.Slug) && input.Slug != article.Slug)
            {
                if (await db.KnowledgeArticles.AnyAsync(a => a.OrganizationId == organization.Id && a.Slug == input.Slug, ct))
                {
                    return ArticleSave.Invalid("slug", $"Another article has the slug '{input.Slug}'.");
                }
                article.Slug = input.Slug;
            }
            article.Title = input.Title!.Trim();
            article.Markdown = input.Markdown!;
            Apply(article, input, by);
            return new ArticleSave(article, []);
        }, ct);
    }

    public async Task<bool> DeleteAsync(Organization organization, Guid articleId, string? by, CancellationToken ct)
    {
        var saved = await ChangeAsync(organization, by, async () =>
        {
            var article = await db.KnowledgeArticles.SingleOrDefaultAsync(a => a.OrganizationId == organization.Id && a.Id == articleId, ct);
            if (article is null)
            {
                return new ArticleSave(null, [], NotFound: true);
            }
            db.KnowledgeArticles.Remove(article);
            return new ArticleSave(article, []);
        }, ct);
        return !saved.NotFound;
    }

    /// <summary>
    /// Moves the organization's knowledge into the database if it is not there yet: the files of its knowledge folder
    /// (if any) become its first articles, so that the first change made here does not make the agent forget them.
    /// The demo seeds its organization this way, from the shipped demo articles.
    /// </summary>
    /// <param name="folder">The folder to copy from instead of the organization's own (the demo's shipped articles).</param>
    /// <returns>False when the knowledge was in the database already (nothing copied).</returns>
    public async Task<bool> EnsureManagedAsync(Organization organization, string? by, CancellationToken ct, string? folder = null)
    {
        if (await IsManagedAsync(organization.Id, ct))
        {
            return false;
        }
        await ChangeAsync(organization, by, () => Task.FromResult(new ArticleSave(null, [])), ct, folder);
        return true;
    }

    /// <summary>
    /// Runs one change in a transaction with the revision bump; the organization's folder is adopted first if needed.
    /// A save that returns errors or NotFound rolls back. Two first changes at once (both insert the revision) or two
    /// articles given one slug at once break a unique key: the loser runs again and then sees the winner's rows.
    /// </summary>
    internal async Task<ArticleSave> ChangeAsync(Organization organization, string? by, Func<Task<ArticleSave>> change, CancellationToken ct, string? adoptFrom = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ChangeOnceAsync(organization, by, change, adoptFrom, ct);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<ArticleSave> ChangeOnceAsync(Organization organization, string? by, Func<Task<ArticleSave>> change, string? adoptFrom, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();
            var bumped = await db.KnowledgeRevisions.Where(r => r.OrganizationId == organization.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Revision, r => r.Revision + 1).SetProperty(r => r.ChangedAt, now), ct);
            if (bumped == 0)
            {
                db.KnowledgeRevisions.Add(new KnowledgeRevision { OrganizationId = organization.Id, Revision = 1, ChangedAt = now });
                var folder = adoptFrom ?? FolderOf(organization);
                var adopted = AdoptFolder(organization, folder, by);
                if (adopted > 0)
                {
                    LogAdopted(logger, organization.Slug, adopted, folder);
                }
            }
            var saved = await change();
            if (saved.Errors.Count > 0 || saved.NotFound)
            {
                await transaction.RollbackAsync(ct);
                return (saved, revision: 0L);
            }
            await db.SaveChangesAsync(ct);
            var revision = await db.KnowledgeRevisions.Where(r => r.OrganizationId == organization.Id).Select(r => r.Revision).SingleAsync(ct);
            await transaction.CommitAsync(ct);
            return (saved, revision);
        });
        if (result.saved.Errors.Count == 0 && !result.saved.NotFound)
        {
            revisions.Note(organization.Slug, organization.Id, result.revision);
            catalog.Invalidate(organization.Slug);
        }
        return result.saved;
    }

    private int AdoptFolder(Organization organization, string folder, string? by)
    {
        var count = 0;
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.Exists(folder) ? Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
        {
            if (!file.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !file.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var name = Path.GetFileNameWithoutExtension(file);
            var slug = ArticleRules.SlugFrom(name);
            if (!slugs.Add(slug))
            {
                continue;
            }
            var (title, body) = MarkdownText.SplitTitle(File.ReadAllText(file));
            var input = new ArticleInput(title ?? KnowledgeArticle.Parse(name, "").Title, body, slug);
            if (ArticleRules.Validate(input, Options).Count > 0)
            {
                continue;
            }
            var article = new KnowledgeArticleRecord
            {
                OrganizationId = organization.Id,
                Slug = slug,
                Title = input.Title!,
                Markdown = input.Markdown!,
                Source = KnowledgeSource.File,
                SourceUrl = Path.GetFileName(file),
                ContentHash = "",
            };
            Apply(article, input, by);
            db.KnowledgeArticles.Add(article);
            count++;
        }
        return count;
    }

    private void Apply(KnowledgeArticleRecord article, ArticleInput input, string? by)
    {
        article.Language = ArticleRules.LanguageOf(input);
        article.ContentHash = ArticleRules.Hash(article.Title, article.Language, article.Markdown);
        article.UpdatedAt = time.GetUtcNow();
        article.UpdatedBy = by;
    }

    internal async Task<string> FreeSlugAsync(Guid organizationId, string wanted, CancellationToken ct)
    {
        var taken = await db.KnowledgeArticles.Where(a => a.OrganizationId == organizationId && a.Slug.StartsWith(wanted)).Select(a => a.Slug).ToListAsync(ct);
        taken.AddRange(db.KnowledgeArticles.Local.Where(a => a.OrganizationId == organizationId).Select(a => a.Slug));
        if (!taken.Contains(wanted))
        {
            return wanted;
        }
        for (var i = 2; ; i++)
        {
            var candidate = $"{wanted}-{i}";
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge of {Slug} now lives in the database: {Count} article(s) copied from {Folder}, which is no longer read for it")]
    private static partial void LogAdopted(ILogger logger, string slug, int count, string folder);
}
