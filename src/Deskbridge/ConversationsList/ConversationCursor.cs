using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Deskbridge.ConversationsList;

/// <summary>
/// I1: where a page of the list starts, opaque to the caller: the (LastActivityAt, Id) of the row next to it and which
/// way to read. Keyset paging costs the same on the first page and the thousandth, where OFFSET would read and drop every
/// row before the page. A conversation that moves (new activity) while someone pages is seen on the page it moved to.
/// </summary>
/// <param name="Older">True: the rows after this one in the list (older activity); false: the rows before it (newer).</param>
public sealed record ConversationCursor(bool Older, long LastActivityAt, Guid Id)
{
    private const int MaxEncodedLength = 100;

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{(Older ? 'o' : 'n')}:{LastActivityAt.ToString(CultureInfo.InvariantCulture)}:{Id:N}"));

    /// <summary>Null for anything this list did not give out.</summary>
    public static ConversationCursor? Decode(string text)
    {
        if (text.Length > MaxEncodedLength || !Base64Url.IsValid(text))
        {
            return null;
        }
        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split(':');
        return parts.Length == 3 && parts[0] is "o" or "n"
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            && Guid.TryParseExact(parts[2], "N", out var id)
            ? new ConversationCursor(parts[0] == "o", at, id)
            : null;
    }
}
