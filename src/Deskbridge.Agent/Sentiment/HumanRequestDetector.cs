using System.Text.RegularExpressions;
using Deskbridge.Agent.Knowledge;

namespace Deskbridge.Agent.Sentiment;

/// <summary>
/// Recognizes a customer asking for a person instead of the AI ("talk to a human", "real agent",
/// "operator", "Mitarbeiter sprechen", "parler à un conseiller", "hablar con una persona",
/// "medewerker spreken"). Text is lower-cased and accent-folded before matching.
/// </summary>
public static partial class HumanRequestDetector
{
    private const string PersonNouns =
        @"(human|humans|human being|person|people|someone|somebody|anyone|anybody|agent|representative|rep|operator|manager|supervisor|staff|employee|advisor|adviser|colleague|team member|customer (service|support|care)|support team|service desk)";

    private const string StrongPersonNouns =
        @"(human|human being|real person|live person|actual person|real (agent|human)|live (agent|chat agent)|human agent|an agent|a agent|representative|operator|manager|supervisor)";

    [GeneratedRegex(@"\b(talk|talking|speak|speaking|chat|chatting|connect|transfer|put me through|pass me|reach|escalate|hand (me|this) over|forward me)\b(\W+\w+){0,4}?\W+" + PersonNouns + @"\b")]
    private static partial Regex TalkToPersonPattern();

    [GeneratedRegex(@"\b(get|give|want|need|request|prefer|looking for|can i have|may i have)\b(\W+\w+){0,3}?\W+" + StrongPersonNouns + @"\b")]
    private static partial Regex WantPersonPattern();

    [GeneratedRegex(@"^\W*(a |an |the )?(human|humans|person|real person|operator|agent|live agent|real agent|representative|rep|customer service|manager|supervisor|someone real)(\W+(please|pls|plz|now|asap))?\W*$")]
    private static partial Regex OnlyAPersonPattern();

    [GeneratedRegex(@"\b((real|live|actual|proper) (person|human|people|agent|one)|human (please|pls|plz|now)|not (a|to a|talk to a|with a|the) (bot|robot|machine|computer|ai)|(don'?t|do not) want (a|to talk to a|to chat with a|the|this|your|an) (bot|robot|machine|computer|ai|chatbot)|(stop|no more) (the )?(bot|robot|chatbot)|is there (someone|anyone|somebody|a (real )?(person|human))( real| i can| to| who| that)|human being)\b")]
    private static partial Regex PersonPhrasePattern();

    // German: "mit einem Mitarbeiter sprechen", "echter Mensch", "Kundendienst sprechen".
    [GeneratedRegex(@"\b((mensch|menschen|mitarbeiter\w*|person|berater\w*|kundenberater\w*|kundendienst|kundenservice|jemand\w*|agent\w*)\b(\W+\w+){0,3}?\W+(sprechen|reden|verbinden|telefonieren|chatten)|(sprechen|reden|verbunden werden|verbinden)\W+(\w+\W+){0,2}?mit\W+(\w+\W+){0,2}?(mensch\w*|mitarbeiter\w*|person|berater\w*|jemand\w*)|echte[nmr]? (mensch\w*|person|mitarbeiter\w*))\b")]
    private static partial Regex GermanPattern();

    // French: "parler à un conseiller", "une vraie personne".
    [GeneratedRegex(@"\b((parler|discuter|joindre|contacter|passer|avoir)\b(\W+\w+){0,3}?\W+(humain|personne|conseill\w+|agent|operat\w+|quelqu'?\s?un|responsable|interlocuteur)|(vraie|vrai|veritable) (personne|humain|conseill\w+)|un humain)\b")]
    private static partial Regex FrenchPattern();

    // Spanish: "hablar con una persona", "persona real".
    [GeneratedRegex(@"\b((hablar|hablarle|comunicar\w*|contactar|pasar\w*|atender\w*)\b(\W+\w+){0,3}?\W+(humano|humana|persona|agente|operador\w*|asesor\w*|alguien|representante|encargad\w+)|(persona|agente|humano) real)\b")]
    private static partial Regex SpanishPattern();

    // Dutch: "met een medewerker praten", "echt persoon".
    [GeneratedRegex(@"\b(((mens|medewerker\w*|persoon|iemand|klantenservice)\b(\W+\w+){0,3}?\W+(spreken|praten|bellen|chatten|doorverbinden|verbinden))|((spreken|praten|bellen|chatten|doorverbinden|verbinden)\W+(\w+\W+){0,1}?met\W+(\w+\W+){0,2}?(mens|medewerker\w*|persoon|iemand))|echte? (mens|persoon|medewerker\w*))\b")]
    private static partial Regex DutchPattern();

    public static bool AsksForHuman(string message) => Match(message) is not null;

    /// <summary>The phrase that asks for a person, or null.</summary>
    public static string? Match(string message)
    {
        var text = TextNormalizer.Normalize(message);
        foreach (var pattern in (Regex[])[OnlyAPersonPattern(), PersonPhrasePattern(), TalkToPersonPattern(), WantPersonPattern(), GermanPattern(), FrenchPattern(), SpanishPattern(), DutchPattern()])
        {
            var match = pattern.Match(text);
            if (match.Success)
            {
                return match.Value.Trim();
            }
        }

        return null;
    }
}
