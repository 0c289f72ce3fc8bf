using System.Text.RegularExpressions;

namespace Deskbridge.Agent.Knowledge;

/// <summary>
/// How online-shop customers say things versus how help articles say them ("send it back" / return,
/// "parcel" / package / delivery, "promo code" / discount code). A question term that matches a rule
/// also matches the rule's help-center words, at a lower weight. Generic e-commerce vocabulary, not
/// tied to one knowledge base.
/// </summary>
internal static partial class CustomerVocabulary
{
    private static readonly (Regex Pattern, string HelpCenterWords)[] Rules =
    [
        (Rule(@"sen[dt]( it| them| this| that| the \w+| my \w+)? back|bring( it)? back|take( it)? back"), "return"),
        (Rule(@"money back|reimburse\w*|repay\w*"), "refund"),
        (Rule(@"package|parcel|packet|shipment|box"), "package parcel delivery shipping"),
        (Rule(@"deliver\w*|ship\w*|post(age|al)?|mail(ed|ing)?|courier"), "delivery shipping"),
        (Rule(@"arriv\w*|receiv\w*|get (it|them)"), "delivery"),
        (Rule(@"where('?s| is| are) my (order|package|parcel|stuff|delivery)|track\w*|status"), "tracking"),
        (Rule(@"price|prices|fee|fees|charge|charges|cost\w*|pay for|how much"), "cost costs"),
        (Rule(@"fast(er|est)?|quick(er|est|ly)?|next day|overnight|urgent"), "express"),
        (Rule(@"pay|paid|payment|checkout|card|credit card|debit card"), "payment"),
        (Rule(@"broken|broke|defective|faulty|smashed|cracked|scratched|not working|doesn'?t work|stopped working|dead|damage\w*"), "damaged defect fault"),
        (Rule(@"gift ?cards?|gift ?vouchers?|e-?gift\w*|giftcards?"), "gift card"),
        (Rule(@"promo( ?codes?)?|coupons?|vouchers?|discount\w*|sale code|offer code"), "discount code"),
        (Rule(@"expir\w*|valid\w*|run out"), "valid"),
        (Rule(@"log ?in|sign ?in|login|signin|password|passwort|pwd|locked out"), "sign password account"),
        (Rule(@"phone|telephone|call|ring|number to call|hotline"), "call contact"),
        (Rule(@"open(ing)?( hours| times)?|hours|business hours|closed|availab\w* (on|at)"), "opening hours"),
        (Rule(@"stock|restock\w*|sold out|available|availability|back in|in store"), "stock"),
        (Rule(@"u\.?s\.?a\.?|united states|america|american|canada|australia|asia|overseas|abroad|international\w*|another country|outside"), "international"),
        (Rule(@"u\.?k\.?|england|britain|great britain|scotland|wales|united kingdom|switzerland|swiss|norway"), "international united kingdom"),
        (Rule(@"customs|import|duty|duties|tax|taxes|vat"), "customs duties"),
        (Rule(@"cancel\w*|call off|don'?t want (it|the order) anymore"), "cancel"),
        (Rule(@"change|modify|edit|update|wrong (address|size|colou?r)"), "change"),
        (Rule(@"bought|purchased|purchase|ordered"), "order"),
        (Rule(@"receipt|invoice|bill|vat number|company|business"), "invoice"),
        (Rule(@"guarantee|warrant\w*|repair\w*"), "warranty"),
        (Rule(@"pre-?orders?|release date|launch"), "pre-order"),
        (Rule(@"email|e-mail|mail address"), "email"),
        (Rule(@"remove|close|erase|delete"), "delete"),
        (Rule(@"klarna|afterpay|pay later|installments?|instalments?"), "klarna pay later"),
    ];

    /// <summary>For each matched customer phrase: its analyzed terms and the help-center terms it stands for.</summary>
    public static IEnumerable<(IReadOnlyList<string> CustomerTerms, IReadOnlyList<string> HelpCenterTerms)> Expand(string normalizedQuestion)
    {
        foreach (var (pattern, words) in Rules)
        {
            foreach (Match match in pattern.Matches(normalizedQuestion))
            {
                yield return (EnglishTerms.Analyze(match.Value), EnglishTerms.Analyze(words));
            }
        }
    }

    private static Regex Rule(string pattern) =>
        new(@"\b(" + pattern + @")\b", RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
}
