using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Deskbridge.Agent.Knowledge;

/// <summary>
/// The one analyzer used to index articles and to read questions: Lucene's English analyzer
/// (possessives, lower case, stop words, Porter stemming) with a stop list that also drops the
/// filler customers put around a question ("hi", "please", "how long", "can you tell me").
/// Lucene analyzers reuse token streams per thread, so the shared instance is thread-safe.
/// </summary>
internal static class EnglishTerms
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private static readonly string[] StopWords =
    [
        // Common English function words.
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "could", "did", "do", "does", "doing", "done", "down", "during", "each", "else", "ever", "few", "for", "from", "further",
        "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
        "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself",
        "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own",
        "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves",
        "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very",
        "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "whose", "why", "will", "with", "would",
        "you", "your", "yours", "yourself", "yourselves", "may", "might", "must", "also", "still", "yet", "already",
        // Contractions and chat spellings.
        "i'm", "im", "i've", "ive", "i'd", "id", "i'll", "ill", "you're", "youre", "it's", "don't", "dont", "doesn't", "doesnt",
        "didn't", "didnt", "can't", "cant", "cannot", "won't", "wont", "isn't", "isnt", "aren't", "arent", "wasn't", "wasnt",
        "haven't", "havent", "hasn't", "hasnt", "wouldn't", "wouldnt", "couldn't", "couldnt", "shouldn't", "shouldnt",
        "u", "ur", "r", "pls", "plz", "thx", "ty", "whats", "wheres", "hows", "thats", "theres", "whos", "hi", "hii", "hallo",
        // Conversational filler around a support question.
        "hi", "hello", "hey", "dear", "please", "thanks", "thank", "cheers", "regards", "ok", "okay", "yes", "yeah",
        "help", "question", "know", "want", "wanted", "need", "needs", "like", "get", "got", "tell", "let", "wondering", "wonder",
        "anyone", "someone", "something", "anything", "possible", "way", "guys", "team", "support", "much", "many", "long", "soon",
        "going", "trying", "try", "able", "sure", "really", "actually", "maybe", "one",
    ];

    public static readonly Analyzer Analyzer = new EnglishAnalyzer(Version, new CharArraySet(Version, StopWords, true));

    /// <summary>The index terms of a text (stemmed, stop words removed), in order, with repeats.</summary>
    public static List<string> Analyze(string text)
    {
        var terms = new List<string>();
        using var stream = Analyzer.GetTokenStream("body", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }
}
