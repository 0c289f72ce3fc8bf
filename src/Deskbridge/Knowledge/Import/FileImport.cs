using System.Text;

namespace Deskbridge.Knowledge.Import;

/// <summary>An uploaded file read as an article, or why it cannot be.</summary>
public sealed record ReadFile(string? Title, string? Markdown, string? Language, string? Problem, bool Unsupported = false);

/// <summary>Uploads: Markdown (.md, .markdown), plain text (.txt), HTML (.html, .htm) and PDF (.pdf), told apart by name and content.</summary>
public static class FileImport
{
    public static readonly IReadOnlyList<string> Extensions = [".md", ".markdown", ".txt", ".html", ".htm", ".pdf"];

    public static ReadFile Read(string fileName, byte[] content)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var fallbackTitle = TitleFromName(fileName);
        var isPdf = content.AsSpan().StartsWith("%PDF-"u8);
        if (!Extensions.Contains(extension))
        {
            return new ReadFile(null, null, null, $"{fileName}: only {string.Join(", ", Extensions)} files can be imported.", Unsupported: true);
        }
        if (extension == ".pdf" != isPdf)
        {
            return new ReadFile(null, null, null, isPdf ? $"{fileName} is a PDF under another name." : $"{fileName} is not a PDF file.", Unsupported: true);
        }
        if (isPdf)
        {
            try
            {
                var (title, markdown) = PdfText.Read(content);
                return Done(title ?? fallbackTitle, markdown, null, fileName);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return new ReadFile(null, null, null, $"{fileName} could not be read as a PDF ({ex.Message}).");
            }
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return new ReadFile(null, null, null, $"{fileName} is not UTF-8 text.", Unsupported: true);
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return new ReadFile(null, null, null, $"{fileName} is not a text file.", Unsupported: true);
        }
        switch (extension)
        {
            case ".html" or ".htm":
                var page = HtmlToMarkdown.Convert(text);
                return Done(page.Title ?? fallbackTitle, page.Markdown, page.Language, fileName);
            case ".md" or ".markdown":
                var (title, body) = MarkdownText.SplitTitle(text);
                return Done(title ?? fallbackTitle, body, null, fileName);
            default:
                // Plain text: paragraphs as they are; a Markdown reader shows them the same way.
                return Done(fallbackTitle, text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim(), null, fileName);
        }
    }

    private static ReadFile Done(string title, string markdown, string? language, string fileName) =>
        string.IsNullOrWhiteSpace(markdown)
            ? new ReadFile(null, null, null, $"{fileName} has no text to import.")
            : new ReadFile(title, markdown, language, null);

    public static string TitleFromName(string fileName)
    {
        var words = Path.GetFileNameWithoutExtension(fileName).Replace('_', ' ').Replace('-', ' ').Trim();
        return words.Length == 0 ? "Untitled" : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
