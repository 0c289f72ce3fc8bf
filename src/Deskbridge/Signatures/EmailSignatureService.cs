using System.Text.RegularExpressions;
using Deskbridge.Storage;
using Ganss.Xss;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Signatures;

/// <summary>S7: an organization's email signatures, one per domain pattern, stored sanitized.</summary>
public sealed partial class EmailSignatureService(DeskbridgeDb db)
{
    public const int MaxHtmlLength = Accounts.InputLimits.SignatureHtml;

    // Thread-safe once configured; the defaults drop scripts, event handlers, comments and javascript:/data: URLs.
    private static readonly HtmlSanitizer Sanitizer = new();

    public Task<List<EmailSignature>> ListAsync(Guid organizationId, CancellationToken ct) =>
        db.EmailSignatures.AsNoTracking().Where(s => s.OrganizationId == organizationId).OrderBy(s => s.DomainPattern).ToListAsync(ct);

    /// <summary>Adds the signature for <paramref name="domainPattern"/>, or replaces the one it has.</summary>
    public async Task<SignatureSave> SaveAsync(Guid organizationId, string? domainPattern, string? html, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? pattern = null;
        if (Accounts.InputLimits.TooLong(domainPattern, Accounts.InputLimits.DomainPattern, "The domain pattern") is { } longPattern)
        {
            errors["domainPattern"] = [longPattern];
        }
        else
        {
            pattern = NormalizePattern(domainPattern, out var patternError);
            if (patternError is not null)
            {
                errors["domainPattern"] = [patternError];
            }
        }
        var clean = Sanitize(html, out var htmlError);
        if (htmlError is not null)
        {
            errors["html"] = [htmlError];
        }
        if (errors.Count > 0)
        {
            return new SignatureSave(null, errors);
        }

        var signature = await db.EmailSignatures.SingleOrDefaultAsync(s => s.OrganizationId == organizationId && s.DomainPattern == pattern, ct);
        if (signature is null)
        {
            if (await db.EmailSignatures.CountAsync(s => s.OrganizationId == organizationId, ct) >= Accounts.InputLimits.Signatures)
            {
                return new SignatureSave(null, new Dictionary<string, string[]>
                {
                    ["domainPattern"] = [$"An organization has at most {Accounts.InputLimits.Signatures} signatures; remove one or replace an existing pattern's."],
                });
            }
            signature = new EmailSignature { Id = Guid.NewGuid(), OrganizationId = organizationId, DomainPattern = pattern!, Html = clean! };
            db.EmailSignatures.Add(signature);
        }
        signature.Html = clean!;
        await db.SaveChangesAsync(ct);
        return new SignatureSave(signature, errors);
    }

    public async Task<bool> DeleteAsync(Guid organizationId, Guid signatureId, CancellationToken ct) =>
        await db.EmailSignatures.Where(s => s.OrganizationId == organizationId && s.Id == signatureId).ExecuteDeleteAsync(ct) > 0;

    /// <summary><c>open.cx</c> (exact) or <c>*.co.uk</c> (every address whose domain ends with .co.uk), lower case.</summary>
    public static string? NormalizePattern(string? pattern, out string? error)
    {
        var value = pattern?.Trim().TrimEnd('.').ToLowerInvariant() ?? "";
        error = null;
        if (value.Length == 0)
        {
            error = "Enter a domain (open.cx) or a wildcard (*.co.uk).";
            return null;
        }
        if (value.Contains('@', StringComparison.Ordinal))
        {
            error = "Enter the domain only, without the part before @ (open.cx, not support@open.cx).";
            return null;
        }
        var isWildcard = value.StartsWith("*.", StringComparison.Ordinal);
        var domain = isWildcard ? value[2..] : value;
        if (domain.Length > 253 || !DomainPattern().IsMatch(domain) || (!isWildcard && !domain.Contains('.', StringComparison.Ordinal)))
        {
            error = value.Contains('*', StringComparison.Ordinal) && !isWildcard
                ? "A wildcard goes only at the start, followed by a dot: *.co.uk."
                : $"'{value}' is not a domain. Use an exact domain (open.cx) or a wildcard (*.nl, *.co.uk).";
            return null;
        }
        return value;
    }

    public static string? Sanitize(string? html, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(html))
        {
            error = "Paste the signature's HTML.";
            return null;
        }
        if (html.Length > MaxHtmlLength)
        {
            error = $"The signature is longer than {MaxHtmlLength} characters.";
            return null;
        }
        var clean = Sanitizer.Sanitize(html).Trim();
        if (clean.Length == 0)
        {
            error = "Nothing of this HTML is allowed in an email signature (scripts and event handlers are removed).";
            return null;
        }
        return clean;
    }

    [GeneratedRegex(@"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DomainPattern();
}

public sealed record SignatureSave(EmailSignature? Signature, IReadOnlyDictionary<string, string[]> Errors);
