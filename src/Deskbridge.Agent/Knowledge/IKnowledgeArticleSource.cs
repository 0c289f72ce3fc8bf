namespace Deskbridge.Agent.Knowledge;

/// <summary>
/// Where an organization's articles come from (a folder of files, the service's database). The catalog asks for
/// <see cref="Version"/> to learn whether its index is still current, and for <see cref="Articles"/> only when it is not.
/// </summary>
public interface IKnowledgeArticleSource
{
    /// <summary>
    /// A cheap fingerprint of the key's articles: it changes whenever an article is added, edited or removed.
    /// Called often (see <see cref="KnowledgeBaseCatalog"/>'s recheck interval), so it must not read the articles themselves.
    /// </summary>
    string Version(string key);

    /// <summary>Every article of the key (none when it has none).</summary>
    IReadOnlyList<KnowledgeArticle> Articles(string key);
}
