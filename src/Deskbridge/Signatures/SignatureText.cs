using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Deskbridge.Signatures;

/// <summary>The plain-text version of a signature, for the text part of an email reply.</summary>
public static class SignatureText
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "P", "DIV", "TR", "LI", "H1", "H2", "H3", "H4", "H5", "H6", "TABLE", "UL", "OL", "BLOCKQUOTE",
    };

    public static string FromHtml(string html)
    {
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");
        var text = new StringBuilder();
        Walk(document.Body!, text);
        var lines = text.ToString().Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        return string.Join('\n', lines.Where(l => l.Length > 0));
    }

    private static void Walk(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    text.Append(t.Data.Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' '));
                    break;
                case IElement { TagName: "BR" }:
                    text.Append('\n');
                    break;
                case IElement { TagName: "TD" or "TH" } cell:
                    Walk(cell, text);
                    text.Append(' ');
                    break;
                case IElement element:
                    var block = BlockTags.Contains(element.TagName);
                    if (block)
                    {
                        text.Append('\n');
                    }
                    Walk(element, text);
                    if (block)
                    {
                        text.Append('\n');
                    }
                    break;
            }
        }
    }
}
