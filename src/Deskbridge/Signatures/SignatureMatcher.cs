namespace Deskbridge.Signatures;

/// <summary>
/// S7: which signature an address gets. An exact domain beats any wildcard; among wildcards the longer (more
/// specific) ending wins, so <c>*.co.uk</c> beats <c>*.uk</c>. No match, no signature.
/// </summary>
public static class SignatureMatcher
{
    public static EmailSignature? Match(IEnumerable<EmailSignature> signatures, string? senderAddress)
    {
        var domain = DomainOf(senderAddress);
        if (domain is null)
        {
            return null;
        }

        EmailSignature? best = null;
        var bestRank = -1;
        foreach (var signature in signatures)
        {
            var rank = Rank(signature.DomainPattern.Trim().ToLowerInvariant(), domain);
            if (rank > bestRank)
            {
                best = signature;
                bestRank = rank;
            }
        }
        return best;
    }

    /// <summary>The part after the last @, lower case; the address itself when it is only a domain.</summary>
    public static string? DomainOf(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }
        var at = address.LastIndexOf('@');
        var domain = address[(at + 1)..].Trim().TrimEnd('.').ToLowerInvariant();
        return domain.Length == 0 ? null : domain;
    }

    /// <returns>-1 no match; an exact match outranks every wildcard; wildcards rank by the length of their ending.</returns>
    private static int Rank(string pattern, string domain)
    {
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            var ending = pattern[1..]; // ".co.uk"
            return domain.EndsWith(ending, StringComparison.Ordinal) && domain.Length > ending.Length ? ending.Length : -1;
        }
        return pattern == domain ? int.MaxValue : -1;
    }
}
