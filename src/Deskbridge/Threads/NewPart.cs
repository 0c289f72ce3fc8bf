using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Deskbridge.Threads;

/// <summary>
/// What the customer wrote this time, without the history a mail client quotes below it. Our markers are looked for
/// here (C2), and the agent reads only this: a reply that quotes our earlier answer is still the customer's question.
/// </summary>
public static partial class NewPart
{
    private static readonly HtmlParser Parser = new();

    // Where the quoted history starts in the HTML of the common clients: Gmail, Apple Mail, Outlook, Thunderbird, Yahoo.
    private const string QuoteSelectors =
        "blockquote, div.gmail_quote, div.gmail_attr, div.moz-cite-prefix, div.yahoo_quoted, #appendonsend, #divRplyFwdMsg, div.OutlookMessageHeader";

    public static string OfHtml(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }
        var document = Parser.ParseDocument(html);
        foreach (var quote in document.QuerySelectorAll(QuoteSelectors).ToList())
        {
            // Outlook puts the history after its separator, as siblings: drop them too.
            if (quote.Id is "appendonsend" or "divRplyFwdMsg")
            {
                while (quote.NextSibling is IChildNode next)
                {
                    next.Remove();
                }
            }
            quote.Remove();
        }
        return document.Body?.InnerHtml ?? "";
    }

    public static string OfText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var end = Array.FindIndex(lines, l => QuoteStart().IsMatch(l));
        return (end < 0 ? text : string.Join('\n', lines[..end])).TrimEnd();
    }

    // "On <date>, <someone> wrote:", Outlook's "-----Original Message-----" and "From: …" headers, or quoted "> " lines.
    [GeneratedRegex(@"^\s*(On\s.+\swrote:\s*$|-{2,}\s*Original Message\s*-{2,}|From:\s.+|>)", RegexOptions.IgnoreCase)]
    private static partial Regex QuoteStart();
}
