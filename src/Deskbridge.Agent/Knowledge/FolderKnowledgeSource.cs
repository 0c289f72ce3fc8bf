using System.Text;

namespace Deskbridge.Agent.Knowledge;

/// <summary>Articles as files: <c>{root}/{key}/*.md|*.txt</c>; the version is the files' names, sizes and write times.</summary>
public sealed class FolderKnowledgeSource(string? root = null) : IKnowledgeArticleSource
{
    public string Root { get; } = Path.GetFullPath(string.IsNullOrWhiteSpace(root) ? KnowledgeBaseCatalog.DefaultRoot : root);

    public string FolderOf(string key) =>
        KnowledgeBaseCatalog.IsValidKey(key) ? Path.Combine(Root, key) : throw new ArgumentException($"'{key}' is not a valid knowledge base key.", nameof(key));

    public string Version(string key)
    {
        var builder = new StringBuilder();
        foreach (var file in KnowledgeBase.ArticleFiles(FolderOf(key)))
        {
            var info = new FileInfo(file);
            builder.Append(info.Name).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append(';');
        }

        return builder.ToString();
    }

    public IReadOnlyList<KnowledgeArticle> Articles(string key) => [.. KnowledgeBase.ArticleFiles(FolderOf(key)).Select(KnowledgeArticle.Load)];
}
