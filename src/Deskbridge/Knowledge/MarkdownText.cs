using Ganss.Xss;
using Markdig;

namespace Deskbridge.Knowledge;

/// <summary>Markdown helpers: the title line, and the preview (Markdig's HTML, sanitized: an article is typed by people and pages we fetched).</summary>
public static class MarkdownText
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    // Thread-safe once configured; drops scripts, handlers, javascript: URLs. Raw HTML is off in the pipeline too: belt and braces.
    private static readonly HtmlSanitizer Sanitizer = new();

    public static string ToSafeHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    /// <summary>The text of a leading <c># Title</c> line (if the text starts with one) and the rest.</summary>
    public static (string? Title, string Body) SplitTitle(string markdown)
    {
        var text = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\n', ' ', '\t', '\uFEFF');
        if (!text.StartsWith("# ", StringComparison.Ordinal))
        {
            return (null, text.Trim());
        }
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var title = (end < 0 ? text[2..] : text[2..end]).Trim().TrimEnd('#').Trim();
        return (title.Length == 0 ? null : title, end < 0 ? "" : text[(end + 1)..].Trim());
    }

    /// <summary>The article as the agent reads it: the stored title as its heading, then the body.</summary>
    public static string ForAgent(string title, string markdown) => $"# {title}\n\n{SplitTitle(markdown).Body}";
}
