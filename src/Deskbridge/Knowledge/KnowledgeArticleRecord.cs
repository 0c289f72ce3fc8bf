namespace Deskbridge.Knowledge;

/// <summary>Where an article came from; a URL import's articles are the ones a re-import may update or remove.</summary>
public enum KnowledgeSource
{
    Manual,
    Upload,
    Url,

    /// <summary>Copied from the operator's knowledge folder when the organization's knowledge moved into the database.</summary>
    File,
}

/// <summary>One help-center article of an organization, as its team wrote or imported it (Markdown).</summary>
public sealed class KnowledgeArticleRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }

    /// <summary>Unique in the organization; the agent's article id (shown as a source, e.g. "returns-and-refunds").</summary>
    public required string Slug { get; set; }

    public required string Title { get; set; }
    public required string Markdown { get; set; }

    /// <summary>ISO 639-1; null when unknown (too little text to tell, or a language the detector does not know).</summary>
    public string? Language { get; set; }

    public KnowledgeSource Source { get; set; }

    /// <summary>The page (URL imports) or file name (uploads) the article was made from.</summary>
    public string? SourceUrl { get; set; }

    /// <summary>The URL or sitemap an import started at: a re-import of it removes the articles it no longer finds.</summary>
    public string? ImportedFrom { get; set; }

    /// <summary>SHA-256 of title, language and Markdown: a re-import leaves an unchanged page alone.</summary>
    public required string ContentHash { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who made the last change: a person's email, "api key …", "operator" or "demo seed".</summary>
    public string? UpdatedBy { get; set; }
}

/// <summary>
/// One row per organization whose knowledge lives in the database; its number goes up with every change, in the same
/// transaction. Every instance compares it with the one its index was built from (a cheap query every few seconds), so a
/// change made on one instance is live on all of them. No row: the organization still reads the knowledge folder.
/// </summary>
public sealed class KnowledgeRevision
{
    public Guid OrganizationId { get; set; }
    public long Revision { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}
