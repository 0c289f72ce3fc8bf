using System.Globalization;
using System.Text;

namespace Deskbridge.Knowledge.Gaps;

/// <summary>
/// I3: the words of a question that say what it is about: lower case, accents folded, stop words of the languages most
/// customers write in dropped (with the filler around a support question), and a light English suffix fold so "wrapping",
/// "wrapped" and "wraps" count as one term. Each term keeps the word it came from: the suggested title is made of words, not
/// of stems ("wrap" would read badly where the customer wrote "wrapping").
/// </summary>
public static class GapTerms
{
    // Function words and support filler. English, German, French, Spanish, Dutch, Italian and Portuguese: the languages the
    // demo and our customers write in most; a word of another language is kept, which at worst makes a group's terms wordier.
    private static readonly HashSet<string> StopWords = new(
        """
        a about above after again all also am an and any are as at be been before being below between both but by can could
        did do does doing done down during each else ever few for from further had has have having he her here hers him his
        how i if in into is it its just me more most my no nor not of off on once only or other our ours out over own same
        shall she should so some such than that the their them then there these they this those through to too under until
        up us very was we were what when where which while who whom whose why will with would you your yours may might must
        still yet already im ive id ill youre dont doesnt didnt cant cannot wont isnt arent wasnt havent hasnt wouldnt couldnt
        u ur r pls plz thx ty whats wheres hows thats theres hi hii hello hey dear please thanks thank cheers regards ok okay
        yes yeah help question know want wanted need needs like get got tell let wondering wonder anyone someone something
        anything possible way guys team support much many soon going trying try able sure really actually maybe one offer
        provide available there any us hey
        der die das den dem des ein eine einen einem einer und oder aber ich du er sie es wir ihr mein meine mich mir dich dir
        ist sind war bin bist hat habe haben kann konnen konnt ich wie was wo wann warum nicht kein keine mit fur auf aus bei
        nach von zu zum zur im am an ob gibt es bitte danke hallo gibt auch noch schon
        le la les un une des du de et ou mais je tu il elle nous vous ils elles mon ma mes est sont suis avez avoir etre
        pour dans sur avec sans pas ne que qui quoi comment quand est-ce ce cette ces merci bonjour svp peux pouvez
        el los las una unos unas y o pero yo tu usted es son soy estoy tiene tengo para por con sin no que como cuando donde
        hola gracias puedo pueden hay
        het een en of maar ik jij je hij zij wij jullie mijn is zijn ben heb hebben kan kunnen voor met niet geen wat hoe
        wanneer waar dank bedankt hallo
        il lo gli uno e ma io sono ho hai ha per con non che come quando dove ciao grazie posso
        os um uma e ou mas eu voce sou tem tenho para com nao que como quando onde ola obrigado obrigada posso
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);

    /// <summary>The question's terms in order, with repeats.</summary>
    public static List<GapTerm> Of(string text)
    {
        var terms = new List<GapTerm>();
        var word = new StringBuilder();
        foreach (var c in FoldCase(text))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
                continue;
            }
            // An apostrophe inside a word ("don't") joins it; the stop list spells contractions without one.
            if (c == '\'' && word.Length > 0)
            {
                continue;
            }
            Add(terms, word);
        }
        Add(terms, word);
        return terms;
    }

    private static void Add(List<GapTerm> terms, StringBuilder word)
    {
        if (word.Length == 0)
        {
            return;
        }
        var term = word.ToString();
        word.Clear();
        if (term.Length < 2 || StopWords.Contains(term) || term.All(char.IsDigit))
        {
            return;
        }
        terms.Add(new GapTerm(Fold(term), term));
    }

    /// <summary>
    /// "programs" → "program", "deliveries" → "delivery", "wrapping"/"wrapped" → "wrap", "ordered" → "order". Deliberately
    /// small: a wrong fold only splits or joins a few questions, and short words are left alone ("used", "bus", "address").
    /// </summary>
    internal static string Fold(string term)
    {
        if (term.Length > 4 && term.EndsWith("ies", StringComparison.Ordinal))
        {
            return term[..^3] + "y";
        }
        foreach (var suffix in (string[])["ing", "ed"])
        {
            if (term.Length - suffix.Length >= 3 && term.EndsWith(suffix, StringComparison.Ordinal) && HasVowel(term[..^suffix.Length]))
            {
                var stem = term[..^suffix.Length];
                // "wrapp" → "wrap", "shipp" → "ship"; "ll", "ss" and "zz" stay ("billing" → "bill").
                return stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') && !IsVowel(stem[^1]) ? stem[..^1] : stem;
            }
        }
        return term.Length > 3 && term[^1] == 's' && term[^2] is not ('s' or 'u' or 'i') ? term[..^1] : term;
    }

    private static bool HasVowel(string text) => text.Any(IsVowel);

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static string FoldCase(string text)
    {
        var decomposed = text.Replace('\u2019', '\'').Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(char.ToLowerInvariant(c));
            }
        }
        return folded.ToString();
    }
}

/// <param name="Term">What questions are compared on (folded).</param>
/// <param name="Word">The word as written (lower case, accents folded), for titles.</param>
public readonly record struct GapTerm(string Term, string Word);
