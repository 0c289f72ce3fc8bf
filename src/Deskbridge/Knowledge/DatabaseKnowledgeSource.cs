using Deskbridge.Agent.Knowledge;
using Deskbridge.Storage;

namespace Deskbridge.Knowledge;

/// <summary>
/// The agent's articles in the service: an organization whose knowledge lives in the database (it has a
/// <see cref="KnowledgeRevision"/>) is read from there; any other still reads its folder <c>{KnowledgeRoot}/{slug}</c>,
/// as operators who deploy knowledge as files expect. The version comes from memory (<see cref="KnowledgeRevisionWatcher"/>);
/// the database is read only when an index is (re)built, after a change.
/// </summary>
public sealed class DatabaseKnowledgeSource(IServiceScopeFactory scopes, KnowledgeRevisionWatcher revisions, FolderKnowledgeSource folder) : IKnowledgeArticleSource
{
    public string Version(string key) =>
        revisions.Revision(key) is { } managed ? $"db:{managed.OrganizationId:N}:{managed.Revision}" : "files:" + folder.Version(key);

    public IReadOnlyList<KnowledgeArticle> Articles(string key)
    {
        if (revisions.Revision(key) is not { } managed)
        {
            return folder.Articles(key);
        }
        // Synchronous: the catalog builds indexes synchronously, and only after a change (not per message).
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var rows = db.KnowledgeArticles.Where(a => a.OrganizationId == managed.OrganizationId)
            .Select(a => new { a.Slug, a.Title, a.Markdown, a.Language }).ToList();
        return [.. rows.Select(a => KnowledgeArticle.Parse(a.Slug, MarkdownText.ForAgent(a.Title, a.Markdown), a.Title) with { Language = a.Language })];
    }
}
