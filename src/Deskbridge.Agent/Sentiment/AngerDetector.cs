using System.Text.RegularExpressions;
using Deskbridge.Agent.Knowledge;

namespace Deskbridge.Agent.Sentiment;

/// <summary>Why a message reads as angry; <see cref="Signals"/> are short phrases for the handoff reason.</summary>
public sealed record AngerAssessment(bool IsAngry, int LexiconScore, IReadOnlyList<string> Signals);

/// <summary>
/// Decides whether a customer is angry from the AFINN-165 lexicon plus curated patterns: abusive
/// language, threats (sue, chargeback, never again), exasperation ("ridiculous", "third time"),
/// all-caps shouting, strongly negative wording and repeated complaints across the conversation.
/// Words that merely name the problem ("lost", "damaged", "charged", "cancel") do not count as anger.
/// </summary>
public static partial class AngerDetector
{
    /// <summary>Lexicon score (after neutral problem words) at or below which a message is angry.</summary>
    public const int StronglyNegativeScore = -5;

    /// <summary>AFINN words at or below this score are abusive language (profanity, "fraud", "wtf").</summary>
    public const int AbusiveWordScore = -4;

    private static readonly HashSet<string> ProblemWords = new(StringComparer.Ordinal)
    {
        "lost", "missing", "problem", "problems", "issue", "issues", "broken", "damaged", "damage", "wrong", "mistake",
        "cancel", "cancelled", "canceled", "cancelling", "forgot", "forget", "stopped", "stop", "declined", "decline", "late",
        "delay", "delayed", "error", "errors", "fault", "faulty", "defect", "defective", "stuck", "fail", "failed", "fails",
        "unable", "sorry", "worried", "worry", "confused", "no", "charged", "charge", "charges", "complaint", "complain",
        "miss", "block", "blocked", "dead", "bad", "poor", "difficult", "hard", "expensive", "refuse", "refused", "limited",
    };

    /// <summary>Curated additions to AFINN for support conversations (and a few words in DE/FR/ES/NL).</summary>
    [GeneratedRegex(@"\b(ridiculous|unacceptable|outrageous|disgrace(ful)?|disgusting|pathetic|useless|incompetent|unbelievable|(is|are|what) a (joke|farce)|joke of a|garbage|rubbish|trash|worst|horrible|awful|terrible (service|company|shop)|scam(s|mers?)?|rip(ped)? ?off|thie(f|ves)|fed up|sick (and tired )?of|(so|really|very|extremely|absolutely) (angry|mad|annoyed|frustrated|upset|furious)|furious|livid|nobody (cares|answers|responds|replies|helps)|no ?one (cares|answers|responds|replies|helps)|(third|fourth|fifth|3rd|4th|5th|\d+th) time|how many (more )?times|i (have )?already (asked|told|written|wrote|contacted|called|emailed)|waste of (my )?(time|money)|shame on you|crap(py)?|sucks?|damn|screw you|inakzeptabel|unverschamt|frechheit|scheiss\w*|inacceptable|honteux|arnaque|merde|inaceptable|estafa|verguenza|schandalig|belachelijk|oplichters?)\b")]
    private static partial Regex ExasperationPattern();

    [GeneratedRegex(@"\b(sue|suing|lawyers?|attorneys?|legal action|court|chargebacks?|charge ?back|(dispute|reverse|contest) (the|this|my) (charge|payment|transaction)|report(ing)? (you|this|your)|consumer (protection|authority|rights)|trading standards|better business bureau|bbb|(bad|negative|1[ -]star|one[ -]star) reviews?|trustpilot|never (again )?(order|ordering|buy|buying|shop|shopping|use|using|deal|dealing)\b.{0,40}\bagain|never (order|buy|shop|use) (here|from you|with you)|take my (business|money) elsewhere|(go|going) to (the )?(police|media|press))\b")]
    private static partial Regex ThreatPattern();

    public static AngerAssessment Assess(string message, IReadOnlyList<string>? earlierCustomerMessages = null)
    {
        var normalized = TextNormalizer.Normalize(message);
        var signals = new List<string>();

        var matches = AfinnLexicon.Default.Match(message);
        var abusive = matches.Where(m => m.Score <= AbusiveWordScore).Select(m => m.Phrase).Distinct().ToList();
        if (abusive.Count > 0)
        {
            signals.Add($"abusive language (\"{string.Join("\", \"", abusive)}\")");
        }

        var threat = ThreatPattern().Match(normalized);
        if (threat.Success)
        {
            signals.Add($"a threat (\"{threat.Value}\")");
        }

        var exasperation = ExasperationPattern().Match(normalized);
        if (exasperation.Success)
        {
            signals.Add($"exasperation (\"{exasperation.Value}\")");
        }

        if (IsShouting(message))
        {
            signals.Add("shouting in capital letters");
        }

        var score = EmotionScore(message);
        if (score <= StronglyNegativeScore)
        {
            signals.Add($"strongly negative wording (sentiment score {score})");
        }

        if (score < 0 && message.Contains("!!!", StringComparison.Ordinal))
        {
            signals.Add("negative wording with repeated exclamation marks");
        }

        if (earlierCustomerMessages is { Count: > 0 } && (score < 0 || signals.Count > 0))
        {
            var earlierNegative = earlierCustomerMessages.Count(m => EmotionScore(m) < 0 || ExasperationPattern().IsMatch(TextNormalizer.Normalize(m)));
            if (earlierNegative >= 2)
            {
                signals.Add($"repeated complaints ({earlierNegative + 1} negative messages)");
            }
        }

        return new AngerAssessment(signals.Count > 0, score, signals);
    }

    /// <summary>AFINN score of a message, ignoring words that only name the problem.</summary>
    /// <remarks>A positive word right after a negation ("did not help", "nobody cares") counts as negative.</remarks>
    public static int EmotionScore(string message)
    {
        var words = TextNormalizer.Words(message);
        var score = 0;
        var position = 0;
        foreach (var (phrase, value) in AfinnLexicon.Default.Match(message))
        {
            var index = words.IndexOf(phrase.Split(' ')[0], position);
            if (index >= 0)
            {
                position = index + 1;
            }

            if (ProblemWords.Contains(phrase))
            {
                continue;
            }

            var negated = value > 0 && index > 0
                && words.Skip(Math.Max(0, index - 3)).Take(Math.Min(3, index)).Any(Negations.Contains);
            score += negated ? -value : value;
        }

        return score;
    }

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "nobody", "nothing", "none", "dont", "don't", "doesnt", "doesn't", "didnt", "didn't", "isnt", "isn't",
        "wasnt", "wasn't", "cant", "can't", "cannot", "wont", "won't", "havent", "haven't", "hasnt", "hasn't", "neither", "nor",
    };

    /// <summary>At least three all-capital words and 10+ letters, mostly capitals.</summary>
    public static bool IsShouting(string message)
    {
        var letters = message.Count(char.IsLetter);
        if (letters < 10)
        {
            return false;
        }

        var upper = message.Count(char.IsUpper);
        var capitalWords = message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Count(w => w.Count(char.IsLetter) >= 2 && w.Where(char.IsLetter).All(char.IsUpper));
        return capitalWords >= 3 && upper >= 0.7 * letters;
    }
}
