using Deskbridge.Agent.Knowledge;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Knowledge;

/// <summary>
/// The agent's articles in the service: an organization whose knowledge lives in the database (it has a
/// <see cref="KnowledgeRevision"/>) is read from there; any other still reads its folder <c>{KnowledgeRoot}/{slug}</c>,
/// as operators who deploy knowledge as files expect. The version is one indexed query (the revision), asked at most
/// once per recheck interval per organization by the catalog.
/// </summary>
public sealed class DatabaseKnowledgeSource(IServiceScopeFactory scopes, FolderKnowledgeSource folder) : IKnowledgeArticleSource
{
    public string Version(string key)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var managed = Managed(db, key);
        return managed is { Revision: { } revision } ? $"db:{managed.Id:N}:{revision}" : "files:" + folder.Version(key);
    }

    public IReadOnlyList<KnowledgeArticle> Articles(string key)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        if (Managed(db, key) is not { Revision: not null } managed)
        {
            return folder.Articles(key);
        }
        var rows = db.KnowledgeArticles.AsNoTracking().Where(a => a.OrganizationId == managed.Id)
            .Select(a => new { a.Slug, a.Title, a.Markdown, a.Language }).ToList();
        return [.. rows.Select(a => KnowledgeArticle.Parse(a.Slug, MarkdownText.ForAgent(a.Title, a.Markdown), a.Title) with { Language = a.Language })];
    }

    private static Managed? Managed(DeskbridgeDb db, string key) =>
        db.Organizations.AsNoTracking().Where(o => o.Slug == key)
            .Select(o => new Managed(o.Id, db.KnowledgeRevisions.Where(r => r.OrganizationId == o.Id).Select(r => (long?)r.Revision).FirstOrDefault()))
            .FirstOrDefault();
}

internal sealed record Managed(Guid Id, long? Revision);
