using System.Globalization;
using System.Text;

namespace Deskbridge.Knowledge.Gaps;

/// <summary>
/// I3: the new article a gap group opens in the editor: a title from the group's top terms and a body listing the
/// customers' questions as a starting point. The page posts it to the editor (a form, not a link: customers' words stay out
/// of URLs, logs and referrers), and the editor accepts it only within these limits.
/// </summary>
public static class GapPrefill
{
    /// <summary>Most question ids one article marks addressed.</summary>
    public const int MaxQuestionIds = 500;

    /// <summary>Longest pre-filled body the editor takes (a starting point, not an article).</summary>
    public const int MaxMarkdown = 8000;

    /// <summary>Longest question quoted in the body.</summary>
    private const int MaxQuoted = 300;

    /// <summary>
    /// The top terms in the order and the words the group's most typical question says them ("gift wrapping", not "wrap
    /// gift"); a term it lacks comes last, as the group writes it most often.
    /// </summary>
    public static string Title(IReadOnlyList<string> topTerms, IReadOnlyList<GapTerm> central, IEnumerable<GapTerm> group)
    {
        if (topTerms.Count == 0)
        {
            return "Questions the AI could not answer";
        }
        var groupWords = CommonWords(group);
        var ordered = topTerms
            .Select(term => (Term: term, At: central.ToList().FindIndex(t => t.Term == term)))
            .OrderBy(t => t.At >= 0 ? t.At : int.MaxValue)
            .Select(t => t.At >= 0 ? central[t.At].Word : groupWords.GetValueOrDefault(t.Term, t.Term));
        var title = string.Join(' ', ordered);
        return char.ToUpper(title[0], CultureInfo.InvariantCulture) + title[1..];
    }

    /// <summary>Each term as the group writes it most often ("wrap" → "wrapping" when most wrote that).</summary>
    public static Dictionary<string, string> CommonWords(IEnumerable<GapTerm> group) =>
        group.GroupBy(t => t.Term, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => g.GroupBy(t => t.Word, StringComparer.Ordinal).OrderByDescending(w => w.Count()).ThenBy(w => w.Key, StringComparer.Ordinal).First().Key,
            StringComparer.Ordinal);

    public static string Markdown(GapGroup group)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture,
            $"Customers asked this {group.Count} {(group.Count == 1 ? "time" : "times")} {When(group)}, and the AI handed them to a person because it was not sure of an answer. For example:\n\n");
        foreach (var example in group.Examples)
        {
            body.Append("- ").Append(Quote(example.Text)).Append('\n');
        }
        body.Append("\nReplace this text with the answer, in the words you would like the AI to use.\n");
        return body.Length <= MaxMarkdown ? body.ToString() : body.ToString(0, MaxMarkdown);
    }

    private static string When(GapGroup group) => group.FirstAskedAt.UtcDateTime.Date == group.LastAskedAt.UtcDateTime.Date
        ? string.Create(CultureInfo.InvariantCulture, $"on {group.FirstAskedAt.UtcDateTime:yyyy-MM-dd}")
        : string.Create(CultureInfo.InvariantCulture, $"between {group.FirstAskedAt.UtcDateTime:yyyy-MM-dd} and {group.LastAskedAt.UtcDateTime:yyyy-MM-dd}");

    /// <summary>"1,2,3" from a form → at most <see cref="MaxQuestionIds"/> ids; anything else in it is ignored.</summary>
    public static List<long> ParseIds(string? ids) =>
        [.. (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).Distinct().Take(MaxQuestionIds)];

    public static string FormatIds(IEnumerable<long> ids) => string.Join(',', ids.Take(MaxQuestionIds).Select(i => i.ToString(CultureInfo.InvariantCulture)));

    /// <summary>One line, shortened; characters Markdown would read as markup are escaped, so a question stays a question.</summary>
    private static string Quote(string text)
    {
        var line = KnowledgeGapRecorder.Trim(text);
        if (line.Length > MaxQuoted)
        {
            line = line[..(MaxQuoted - 1)] + "…";
        }
        var escaped = new StringBuilder(line.Length + 8);
        foreach (var c in line)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '#' or '|' or '!')
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
