using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Deskbridge.Agent.Knowledge;

/// <summary>
/// The knowledge bases of all organizations: <c>{root}/{key}/*.md|*.txt</c>. Each is indexed on first
/// use, cached, and rebuilt when its files change (added, removed, edited) or when <see cref="Reload"/> is called.
/// </summary>
public sealed partial class KnowledgeBaseCatalog
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, object> _locks = new(StringComparer.Ordinal);

    public KnowledgeBaseCatalog(string? root = null)
    {
        Root = Path.GetFullPath(string.IsNullOrWhiteSpace(root) ? DefaultRoot : root);
    }

    /// <summary>Where the shipped knowledge bases land: <c>{AppContext.BaseDirectory}/knowledge</c> (the demo is <c>knowledge/demo</c>).</summary>
    public static string DefaultRoot => Path.Combine(AppContext.BaseDirectory, "knowledge");

    public string Root { get; }

    /// <summary>Keys are folder names: letters, digits, '-', '_' and '.', not starting with '.'.</summary>
    public static bool IsValidKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    public string FolderOf(string key) =>
        IsValidKey(key) ? Path.Combine(Root, key) : throw new ArgumentException($"'{key}' is not a valid knowledge base key.", nameof(key));

    /// <summary>The current index for the key (empty if the folder is missing), rebuilt if the files changed.</summary>
    public KnowledgeBase Get(string key)
    {
        var folder = FolderOf(key);
        var signature = Signature(folder);
        if (_entries.TryGetValue(key, out var cached) && cached.Signature == signature)
        {
            return cached.KnowledgeBase;
        }

        lock (_locks.GetOrAdd(key, _ => new object()))
        {
            signature = Signature(folder);
            if (_entries.TryGetValue(key, out cached) && cached.Signature == signature)
            {
                return cached.KnowledgeBase;
            }

            var knowledgeBase = KnowledgeBase.Load(key, folder);
            _entries[key] = new Entry(knowledgeBase, signature);
            return knowledgeBase;
        }
    }

    /// <summary>Drops the cached index and builds it again from the files.</summary>
    public KnowledgeBase Reload(string key)
    {
        _ = FolderOf(key);
        lock (_locks.GetOrAdd(key, _ => new object()))
        {
            _entries.TryRemove(key, out _);
        }

        return Get(key);
    }

    private static string Signature(string folder)
    {
        var builder = new StringBuilder();
        foreach (var file in KnowledgeBase.ArticleFiles(folder))
        {
            var info = new FileInfo(file);
            builder.Append(info.Name).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append(';');
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex KeyPattern();

    private sealed record Entry(KnowledgeBase KnowledgeBase, string Signature);
}
