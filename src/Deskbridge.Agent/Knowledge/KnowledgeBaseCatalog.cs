using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Deskbridge.Agent.Knowledge;

/// <summary>
/// The knowledge bases of all organizations, by key (the organization's slug), read from an
/// <see cref="IKnowledgeArticleSource"/> (by default the folders <c>{root}/{key}/*.md|*.txt</c>). Each is indexed on
/// first use, cached, and rebuilt when the source's version of the key changes, when <see cref="Invalidate"/> or
/// <see cref="Reload"/> is called. The version is asked at most once per <see cref="RecheckInterval"/> per key
/// (zero: on every lookup), so a source whose version costs a query stays cheap on the hot path.
/// </summary>
public sealed partial class KnowledgeBaseCatalog
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, object> _locks = new(StringComparer.Ordinal);
    private readonly IKnowledgeArticleSource _source;
    private readonly TimeProvider _time;

    public KnowledgeBaseCatalog(string? root = null)
        : this(new FolderKnowledgeSource(root))
    {
    }

    public KnowledgeBaseCatalog(IKnowledgeArticleSource source, TimeSpan recheckInterval = default, TimeProvider? timeProvider = null)
    {
        _source = source;
        _time = timeProvider ?? TimeProvider.System;
        RecheckInterval = recheckInterval;
        Root = source is FolderKnowledgeSource folder ? folder.Root : Path.GetFullPath(DefaultRoot);
    }

    /// <summary>Where the shipped knowledge bases land: <c>{AppContext.BaseDirectory}/knowledge</c> (the demo is <c>knowledge/demo</c>).</summary>
    public static string DefaultRoot => Path.Combine(AppContext.BaseDirectory, "knowledge");

    /// <summary>The folder source's root (the default root for other sources).</summary>
    public string Root { get; }

    public TimeSpan RecheckInterval { get; }

    public IKnowledgeArticleSource Source => _source;

    /// <summary>Keys are folder names: letters, digits, '-', '_' and '.', not starting with '.'.</summary>
    public static bool IsValidKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    public string FolderOf(string key) =>
        IsValidKey(key) ? Path.Combine(Root, key) : throw new ArgumentException($"'{key}' is not a valid knowledge base key.", nameof(key));

    /// <summary>The current index for the key (empty when it has no articles), rebuilt if the source changed.</summary>
    public KnowledgeBase Get(string key)
    {
        _ = FolderOf(key);
        var now = _time.GetUtcNow();
        if (_entries.TryGetValue(key, out var cached) && now - cached.CheckedAt < RecheckInterval && RecheckInterval > TimeSpan.Zero)
        {
            return cached.KnowledgeBase;
        }

        var version = _source.Version(key);
        if (cached is not null && cached.Version == version)
        {
            _entries[key] = cached with { CheckedAt = now };
            return cached.KnowledgeBase;
        }

        lock (_locks.GetOrAdd(key, _ => new object()))
        {
            version = _source.Version(key);
            if (_entries.TryGetValue(key, out cached) && cached.Version == version)
            {
                return cached.KnowledgeBase;
            }

            var knowledgeBase = KnowledgeBase.FromArticles(key, _source.Articles(key));
            _entries[key] = new Entry(knowledgeBase, version, now);
            return knowledgeBase;
        }
    }

    /// <summary>Forgets the cached index: the next lookup asks the source (a change made by this process is live at once).</summary>
    public void Invalidate(string key)
    {
        lock (_locks.GetOrAdd(key, _ => new object()))
        {
            _entries.TryRemove(key, out _);
        }
    }

    /// <summary>Drops the cached index and builds it again from the source.</summary>
    public KnowledgeBase Reload(string key)
    {
        _ = FolderOf(key);
        Invalidate(key);
        return Get(key);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex KeyPattern();

    private sealed record Entry(KnowledgeBase KnowledgeBase, string Version, DateTimeOffset CheckedAt);
}
