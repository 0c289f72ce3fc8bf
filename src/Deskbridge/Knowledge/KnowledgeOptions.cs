namespace Deskbridge.Knowledge;

/// <summary>Knowledge managed in the product (bound from <c>Knowledge</c>).</summary>
public sealed class KnowledgeOptions
{
    public const string SectionName = "Knowledge";

    /// <summary>How often an instance reads every organization's knowledge revision (one query, in the background): another instance's change is live here within this.</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most articles per organization.</summary>
    public int MaxArticles { get; set; } = 2000;

    /// <summary>Longest article (Markdown characters).</summary>
    public int MaxArticleCharacters { get; set; } = 200_000;

    /// <summary>Largest uploaded file.</summary>
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Most pages one URL or sitemap import fetches (robots.txt and the sitemap not counted).</summary>
    public int MaxPages { get; set; } = 50;

    /// <summary>Largest page, sitemap or robots.txt read; a larger one is skipped and reported.</summary>
    public long MaxPageBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Longest one import may run; pages not reached by then are reported and nothing is removed for them.</summary>
    public TimeSpan MaxImportTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one page request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sent as User-Agent and matched against robots.txt groups.</summary>
    public string UserAgent { get; set; } = "DeskbridgeKnowledgeImport/1.0";

    /// <summary>
    /// Lets imports fetch from loopback (127.0.0.0/8, ::1): for local work and the tests, whose sites listen on this machine.
    /// Off by default: the server would otherwise fetch its own admin ports for whoever names them (SSRF).
    /// </summary>
    public bool AllowLoopbackImports { get; set; }
}
