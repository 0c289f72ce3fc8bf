using System.Text.RegularExpressions;

namespace Deskbridge.Agent.Knowledge;

/// <summary>One help-center article: its id is the file name without extension.</summary>
public sealed partial record KnowledgeArticle(string Id, string Title, IReadOnlyList<KnowledgePassage> Passages)
{
    /// <summary>ISO 639-1 code of the article's language (e.g. "en", "de"); null when not known.</summary>
    public string? Language { get; init; }

    /// <summary>Passages longer than this many words are split at paragraph boundaries.</summary>
    public const int MaxPassageWords = 120;

    public static KnowledgeArticle Parse(string id, string content, string? fallbackTitle = null)
    {
        var lines = content.Replace("\r\n", "\n").Split('\n');
        string? title = null;
        string? heading = null;
        var sections = new List<(string? Heading, List<string> Paragraphs)>();
        var paragraphs = new List<string>();
        var paragraph = new List<string>();

        void EndParagraph()
        {
            if (paragraph.Count > 0)
            {
                paragraphs.Add(string.Join(' ', paragraph));
                paragraph.Clear();
            }
        }

        void EndSection()
        {
            EndParagraph();
            if (paragraphs.Count > 0)
            {
                sections.Add((heading, paragraphs));
            }

            paragraphs = [];
        }

        foreach (var raw in lines)
        {
            var line = raw.Trim();
            var headingMatch = HeadingPattern().Match(line);
            if (headingMatch.Success)
            {
                var text = CleanInline(headingMatch.Groups[2].Value);
                if (title is null && headingMatch.Groups[1].Value.Length == 1)
                {
                    EndSection();
                    title = text;
                    continue;
                }

                EndSection();
                heading = text;
                continue;
            }

            if (line.Length == 0)
            {
                EndParagraph();
                continue;
            }

            var bullet = BulletPattern().Match(line);
            if (bullet.Success)
            {
                // Each list item reads as its own sentence.
                EndParagraph();
                var item = CleanInline(bullet.Groups[1].Value);
                paragraph.Add(EndsLikeSentence(item) ? item : item + ".");
                EndParagraph();
                continue;
            }

            paragraph.Add(CleanInline(line));
        }

        EndSection();
        title ??= fallbackTitle ?? TitleFromId(id);

        var passages = new List<KnowledgePassage>();
        foreach (var (sectionHeading, sectionParagraphs) in sections)
        {
            var chunk = new List<string>();
            var words = 0;
            foreach (var p in sectionParagraphs)
            {
                var count = p.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                if (chunk.Count > 0 && words + count > MaxPassageWords)
                {
                    passages.Add(new KnowledgePassage(id, title, sectionHeading, string.Join("\n\n", chunk), passages.Count));
                    chunk = [];
                    words = 0;
                }

                chunk.Add(p);
                words += count;
            }

            if (chunk.Count > 0)
            {
                passages.Add(new KnowledgePassage(id, title, sectionHeading, string.Join("\n\n", chunk), passages.Count));
            }
        }

        return new KnowledgeArticle(id, title, passages);
    }

    public static KnowledgeArticle Load(string path)
    {
        var id = Path.GetFileNameWithoutExtension(path);
        return Parse(id, File.ReadAllText(path), TitleFromId(id));
    }

    private static string TitleFromId(string id)
    {
        var words = id.Replace('_', ' ').Replace('-', ' ').Trim();
        return words.Length == 0 ? id : char.ToUpperInvariant(words[0]) + words[1..];
    }

    private static bool EndsLikeSentence(string text) => text.Length > 0 && ".!?:".Contains(text[^1], StringComparison.Ordinal);

    private static string CleanInline(string text)
    {
        text = LinkPattern().Replace(text, "$1");
        text = text.Replace("**", string.Empty, StringComparison.Ordinal).Replace("__", string.Empty, StringComparison.Ordinal).Replace("`", string.Empty, StringComparison.Ordinal);
        return text.Trim();
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.+?)\s*#*$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^(?:[-*+]|\d+[.)])\s+(.+)$")]
    private static partial Regex BulletPattern();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
    private static partial Regex LinkPattern();
}

/// <summary>A focused piece of an article (an intro or a section, split further when long).</summary>
public sealed record KnowledgePassage(string ArticleId, string ArticleTitle, string? Heading, string Text, int Index)
{
    public string Id => $"{ArticleId}#{Index}";
}

/// <summary>A passage found for a question, with its BM25 score and how much of the question it covers.</summary>
public sealed record KnowledgeHit(
    KnowledgePassage Passage,
    double Score,
    double Coverage,
    IReadOnlyList<string> MatchedTerms,
    IReadOnlyList<string> MissingTerms);
