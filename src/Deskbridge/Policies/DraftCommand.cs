namespace Deskbridge.Policies;

/// <summary>
/// G2: an agent's internal comment that approves or drops the thread's draft: <c>/send</c>, <c>/send</c> followed by
/// the text to send instead, or <c>/discard</c>. Case-insensitive; anything else is an ordinary note.
/// </summary>
public sealed record DraftCommand(bool Send, string? EditedText)
{
    public static DraftCommand? Parse(string? text)
    {
        var trimmed = text?.TrimStart() ?? "";
        if (IsCommand(trimmed, "/discard"))
        {
            return new DraftCommand(false, null);
        }
        if (IsCommand(trimmed, "/send"))
        {
            var rest = trimmed["/send".Length..].Trim();
            return new DraftCommand(true, rest.Length > 0 ? rest : null);
        }
        return null;
    }

    /// <summary>The word alone or followed by white space: "/sending" and "/send-later" are not commands.</summary>
    private static bool IsCommand(string text, string word) =>
        text.StartsWith(word, StringComparison.OrdinalIgnoreCase) && (text.Length == word.Length || char.IsWhiteSpace(text[word.Length]));
}
