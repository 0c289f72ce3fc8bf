using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Deskbridge.Policies;

/// <summary>
/// G1: what a customer message is about, for the send policy's intent condition. A phrase list per intent in seven
/// languages (en, de, fr, es, nl, it, pt), matched on the message folded to lower case without accents. A phrase ending
/// in <c>*</c> matches any word that starts with it ("cancel*": cancel, cancelled, cancellation); the others match whole
/// words only, so "sue" does not fire on "suede". Deliberately simple and explainable: a rule that sends refunds to a
/// human must say why it fired, and the fate names the phrase found. It misses paraphrases ("I want my money returned"
/// is caught by "money back" only if written so); teams that need more add the phrase here.
/// </summary>
public static partial class IntentDetector
{
    private static readonly (string Intent, string[] Phrases)[] Lists =
    [
        ("refund", [
            "refund*", "money back", "reimburs*", "chargeback*", "charge back", "pay me back",
            "ruckerstattung*", "erstattung*", "geld zuruck", "ruckzahlung*", "zuruckerstatt*",
            "rembours*", "me rembourser",
            "reembols*", "devolucion del dinero", "devuelvan el dinero", "devolver el dinero",
            "terugbetal*", "geld terug", "restitutie",
            "rimbors*", "soldi indietro",
            "devolucao do dinheiro", "dinheiro de volta",
        ]),
        ("cancellation", [
            "cancel*", "unsubscribe", "terminate my", "close my account", "delete my account",
            "kundig*", "stornier*", "storno", "abbestell*", "konto loschen",
            "annul*", "resili*", "desabonner", "desinscri*",
            "cancelar", "cancelacion", "darme de baja", "dar de baja", "anular",
            "opzeg*", "annuler*", "uitschrijv*",
            "disdir*", "disdetta", "annull*",
            "cancelamento", "cancele*",
        ]),
        ("legal", [
            "lawyer*", "attorney*", "legal action", "lawsuit*", "sue", "suing", "court", "gdpr", "small claims",
            "anwalt*", "rechtsanwalt*", "klage*", "verklag*", "gericht*", "dsgvo", "abmahnung*",
            "avocat*", "tribunal", "poursuite*", "rgpd", "mise en demeure",
            "abogado*", "demanda judicial", "denuncia*", "juzgado",
            "advocaat*", "rechtbank*", "rechtszaak*", "aansprakelijk*",
            "avvocat*", "tribunale", "causa legale", "denunci*",
            "advogad*", "processo judicial", "acao judicial",
        ]),
    ];

    private static readonly (string Intent, Regex Pattern)[] Patterns = [.. Lists.Select(l => (l.Intent, Compile(l.Phrases)))];

    public static IReadOnlyList<string> Intents => [.. Lists.Select(l => l.Intent)];

    /// <summary>Every intent found, with the words that showed it, in the order of <see cref="Intents"/>.</summary>
    public static IReadOnlyList<(string Intent, string Evidence)> Detect(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        var folded = Fold(text);
        var found = new List<(string, string)>();
        foreach (var (intent, pattern) in Patterns)
        {
            if (pattern.Match(folded) is { Success: true } match)
            {
                found.Add((intent, match.Value));
            }
        }
        return found;
    }

    /// <summary>Lower case without diacritics (Rückerstattung → ruckerstattung), so one phrase covers both spellings typed.</summary>
    private static string Fold(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c == 'ß' ? "ss" : c.ToString());
            }
        }
        return folded.ToString();
    }

    private static Regex Compile(string[] phrases)
    {
        var alternatives = phrases.Select(p => p.EndsWith('*')
            ? Regex.Escape(p[..^1]) + @"\w*"
            : Regex.Escape(p) + @"\b");
        return new Regex(@"\b(?:" + string.Join('|', alternatives) + ")", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
    }
}
