using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Deskbridge.Knowledge.Import;

/// <summary>A PDF's text in reading order (PdfPig), one paragraph per block of lines; its title from the document's metadata.</summary>
public static class PdfText
{
    public static (string? Title, string Markdown) Read(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var text = new StringBuilder();
        foreach (var page in document.GetPages())
        {
            var pageText = ContentOrderTextExtractor.GetText(page);
            foreach (var paragraph in pageText.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                text.Append(string.Join(' ', paragraph.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))).Append("\n\n");
            }
        }
        var title = document.Information.Title;
        return (string.IsNullOrWhiteSpace(title) ? null : title.Trim(), text.ToString().Trim());
    }
}
