using System.Globalization;
using System.Net;

namespace Deskbridge.HubSpotSandbox.Conversations;

/// <summary>
/// The quoted history a mail client puts under a reply, Gmail's way: an attribution line, then the previous message's
/// HTML verbatim inside a blockquote (HTML comments included: a client that quotes our HTML keeps our hidden markers),
/// and in the plain text the previous text as "> " lines. HubSpot stores what the client sent, so both reach the API.
/// </summary>
public static class MailQuote
{
    public static (string Text, string RichText) Append(string text, string richText, ConversationMessage previous, string from)
    {
        var when = previous.CreatedAt.UtcDateTime.ToString("ddd, MMM d, yyyy 'at' h:mm tt", CultureInfo.InvariantCulture);
        var attribution = $"On {when} {from} wrote:";
        var quotedLines = (previous.Text ?? "").ReplaceLineEndings("\n").Split('\n').Select(l => l.Length == 0 ? ">" : "> " + l);
        var quotedText = $"{text}\n\n{attribution}\n{string.Join('\n', quotedLines)}";
        var quotedHtml = $"{richText}<br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">{WebUtility.HtmlEncode(attribution)}<br></div>" +
            $"<blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex\">" +
            $"{previous.RichText ?? WebUtility.HtmlEncode(previous.Text ?? "")}</blockquote></div>";
        return (quotedText, quotedHtml);
    }
}
