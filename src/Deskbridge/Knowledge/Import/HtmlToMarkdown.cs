using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Deskbridge.Knowledge.Import;

/// <summary>A web page as an article: its title, and the main content as Markdown (headings, paragraphs, lists, links' text).</summary>
public static class HtmlToMarkdown
{
    // Parts of a page that are chrome, not content: navigation, banners, scripts, forms.
    private static readonly string[] Chrome = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button"];

    public sealed record Page(string? Title, string Markdown, IReadOnlyList<string> Links, string? Language);

    public static Page Convert(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var links = document.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToList();
        var language = document.DocumentElement.GetAttribute("lang")?.Split('-', 2)[0].Trim().ToLowerInvariant();
        foreach (var element in document.QuerySelectorAll(string.Join(',', Chrome)).ToList())
        {
            element.Remove();
        }
        var root = (IElement?)document.QuerySelector("main") ?? document.QuerySelector("article") ?? document.Body ?? document.DocumentElement;
        var h1 = root.QuerySelector("h1");
        var title = Clean(h1?.TextContent) ?? Clean(document.Title);
        h1?.Remove();

        var builder = new StringBuilder();
        Write(root, builder);
        var markdown = string.Join("\n\n", builder.ToString().Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        // Our articles carry ISO 639-1 codes; a page in a language without one (lang="fil") stays unknown, to be detected.
        return new Page(title, markdown, links, language is { Length: 2 } && language.All(char.IsAsciiLetterLower) ? language : null);
    }

    private static void Write(INode node, StringBuilder output)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is not IElement element)
            {
                if (child.NodeType == NodeType.Text)
                {
                    output.Append(Collapse(child.TextContent));
                }
                continue;
            }
            switch (element.LocalName)
            {
                case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                    // The page's title is the article's title: its headings start one level down.
                    var level = Math.Max(2, element.LocalName[1] - '0');
                    Block(output, new string('#', level) + " " + Clean(element.TextContent));
                    break;
                case "p" or "div" or "section" or "article" or "blockquote" or "main" or "dl" or "table" or "figure":
                    output.Append("\n\n");
                    Write(element, output);
                    output.Append("\n\n");
                    break;
                case "ul" or "ol":
                    output.Append("\n\n");
                    var number = 1;
                    foreach (var item in element.Children.Where(c => c.LocalName == "li"))
                    {
                        var text = new StringBuilder();
                        Write(item, text);
                        var line = Collapse(text.ToString()).Trim();
                        if (line.Length > 0)
                        {
                            output.Append(element.LocalName == "ol" ? $"{number++}. " : "- ").Append(line).Append('\n');
                        }
                    }
                    output.Append("\n\n");
                    break;
                case "br":
                    output.Append('\n');
                    break;
                case "tr" or "dt" or "dd" or "li":
                    output.Append('\n');
                    Write(element, output);
                    output.Append('\n');
                    break;
                case "td" or "th":
                    Write(element, output);
                    output.Append(' ');
                    break;
                case "pre":
                    Block(output, "```\n" + element.TextContent.Trim('\n') + "\n```");
                    break;
                case "strong" or "b":
                    var strong = Clean(element.TextContent);
                    if (strong is not null)
                    {
                        output.Append("**").Append(strong).Append("** ");
                    }
                    break;
                case "img":
                    break;
                default:
                    Write(element, output);
                    break;
            }
        }
    }

    private static void Block(StringBuilder output, string text) => output.Append("\n\n").Append(text).Append("\n\n");

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) is { Length: > 0 } words
        ? (char.IsWhiteSpace(text[0]) ? " " : "") + words + (char.IsWhiteSpace(text[^1]) ? " " : "")
        : text.Length > 0 ? " " : "";

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
