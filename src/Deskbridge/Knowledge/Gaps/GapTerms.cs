using System.Globalization;
using System.Text;

namespace Deskbridge.Knowledge.Gaps;

/// <summary>
/// I3: the words of a question that say what it is about: lower case, accents folded, stop words of the languages most
/// customers write in dropped (with the filler around a support question), and a light plural fold so "wraps" and "wrap"
/// count once. No stemmer: the terms also become the suggested article title, and a stem ("wrapp") reads badly there.
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
    public static List<string> Of(string text)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        foreach (var c in Fold(text))
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

    private static void Add(List<string> terms, StringBuilder word)
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
        terms.Add(Singular(term));
    }

    /// <summary>"programs" → "program", "boxes" stays (too many exceptions); "ss" words ("address") are left alone.</summary>
    private static string Singular(string term) =>
        term.Length > 3 && term[^1] == 's' && term[^2] is not ('s' or 'u' or 'i') ? term[..^1] : term;

    private static string Fold(string text)
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
