using Deskbridge.Signatures;

namespace Deskbridge.Tests.Signatures;

/// <summary>S7: which signature a sending address gets, and what may be saved.</summary>
public sealed class SignatureMatcherTests
{
    private static readonly EmailSignature[] Signatures =
        new[] { "open.cx", "*.cx", "*.co.uk", "*.uk", "*.nl" }.Select(p => new EmailSignature { Id = Guid.NewGuid(), DomainPattern = p, Html = $"<p>{p}</p>" }).ToArray();

    [Theory]
    [InlineData("support@open.cx", "open.cx")]          // exact beats the wildcard *.cx
    [InlineData("SUPPORT@Open.CX", "open.cx")]          // domains are case-insensitive
    [InlineData("help@mail.open.cx", "*.cx")]           // a subdomain is not the exact domain
    [InlineData("sales@shop.co.uk", "*.co.uk")]         // the longer wildcard beats *.uk
    [InlineData("sales@a.b.shop.co.uk", "*.co.uk")]     // nested subdomains still match the wildcard
    [InlineData("info@gov.uk", "*.uk")]
    [InlineData("hallo@winkel.nl", "*.nl")]
    [InlineData("hi@example.com", null)]                // no match, no signature
    [InlineData("someone@nl", null)]                    // *.nl needs something before .nl
    [InlineData("", null)]
    public void Picks_the_most_specific_signature_for_the_sending_domain(string address, string? expectedPattern) =>
        Assert.Equal(expectedPattern, SignatureMatcher.Match(Signatures, address)?.DomainPattern);

    [Fact]
    public void Exact_domain_wins_whatever_the_order_of_the_signatures()
    {
        var reversed = Signatures.Reverse();
        Assert.Equal("open.cx", SignatureMatcher.Match(reversed, "a@open.cx")?.DomainPattern);
        Assert.Equal("*.co.uk", SignatureMatcher.Match(reversed, "a@x.co.uk")?.DomainPattern);
    }

    [Theory]
    [InlineData("open.cx", "open.cx")]
    [InlineData(" Open.CX. ", "open.cx")]
    [InlineData("*.co.uk", "*.co.uk")]
    [InlineData("*.nl", "*.nl")]
    [InlineData("support@open.cx", null)]
    [InlineData("localhost", null)]
    [InlineData("*open.cx", null)]
    [InlineData("mail.*.com", null)]
    [InlineData("open..cx", null)]
    [InlineData("", null)]
    public void Accepts_exact_domains_and_leading_wildcards_only(string pattern, string? normalized)
    {
        var result = EmailSignatureService.NormalizePattern(pattern, out var error);
        Assert.Equal(normalized, result);
        Assert.Equal(normalized is null, error is not null);
    }

    [Fact]
    public void Sanitizes_signature_html_before_it_is_stored()
    {
        var clean = EmailSignatureService.Sanitize(
            "<p onclick=\"steal()\">Jane <b>Doe</b><script>alert(1)</script><br><a href=\"javascript:alert(1)\">x</a><!-- OpenCX-AI-Response --></p>" +
            "<img src=\"https://cdn.example/logo.png\" alt=\"logo\">", out var error);

        Assert.Null(error);
        Assert.DoesNotContain("script", clean, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", clean, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", clean, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("OpenCX-AI-Response", clean, StringComparison.Ordinal);
        Assert.Contains("<b>Doe</b>", clean, StringComparison.Ordinal);
        Assert.Contains("https://cdn.example/logo.png", clean, StringComparison.Ordinal);
        Assert.Equal("Jane Doe\nx", SignatureText.FromHtml(clean!));
    }
}
