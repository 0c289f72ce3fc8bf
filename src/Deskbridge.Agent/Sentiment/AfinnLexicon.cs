using System.Collections.Frozen;
using Deskbridge.Agent.Knowledge;

namespace Deskbridge.Agent.Sentiment;

/// <summary>
/// The AFINN-165 English word list (Finn Årup Nielsen, Apache-2.0; see AFINN-NOTICE.md): words and
/// short phrases scored from -5 (very negative) to +5 (very positive).
/// </summary>
public sealed class AfinnLexicon
{
    private const string ResourceName = "Deskbridge.Agent.AFINN-en-165.txt";
    private static readonly Lazy<AfinnLexicon> LazyDefault = new(LoadEmbedded);

    private readonly FrozenDictionary<string, int> _scores;
    private readonly int _longestPhrase;

    public AfinnLexicon(IEnumerable<KeyValuePair<string, int>> scores)
    {
        _scores = scores.ToFrozenDictionary(StringComparer.Ordinal);
        _longestPhrase = _scores.Keys.Select(k => k.Count(c => c == ' ') + 1).DefaultIfEmpty(1).Max();
    }

    public static AfinnLexicon Default => LazyDefault.Value;

    public int Count => _scores.Count;

    public int? ScoreOf(string wordOrPhrase) => _scores.TryGetValue(wordOrPhrase, out var score) ? score : null;

    /// <summary>The scored words and phrases of a text, longest phrase first at each position.</summary>
    public IReadOnlyList<(string Phrase, int Score)> Match(string text)
    {
        var words = TextNormalizer.Words(text);
        var matches = new List<(string, int)>();
        for (var i = 0; i < words.Count;)
        {
            var consumed = 1;
            for (var length = Math.Min(_longestPhrase, words.Count - i); length >= 1; length--)
            {
                var phrase = length == 1 ? words[i] : string.Join(' ', words.Skip(i).Take(length));
                if (_scores.TryGetValue(phrase, out var score))
                {
                    matches.Add((phrase, score));
                    consumed = length;
                    break;
                }
            }

            i += consumed;
        }

        return matches;
    }

    /// <summary>The sum of the scores of a text (AFINN's usual measure; negative means negative sentiment).</summary>
    public int Score(string text) => Match(text).Sum(m => m.Score);

    private static AfinnLexicon LoadEmbedded()
    {
        using var stream = typeof(AfinnLexicon).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var tab = line.LastIndexOf('\t');
            if (tab > 0 && int.TryParse(line.AsSpan(tab + 1), out var score))
            {
                scores[TextNormalizer.Normalize(line[..tab])] = score;
            }
        }

        return new AfinnLexicon(scores);
    }
}
