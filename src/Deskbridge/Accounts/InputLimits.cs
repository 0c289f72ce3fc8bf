namespace Deskbridge.Accounts;

/// <summary>
/// The one list of how much an admin may type into each field. Over a limit the request gets 400 naming the limit and
/// nothing is stored: unbounded text ends up in cookies (TempData), pages and every later query.
/// </summary>
public static class InputLimits
{
    public const int OrganizationName = 200;
    public const int OrganizationSlug = 100;

    /// <summary>RFC 5321's longest path: 254 characters.</summary>
    public const int Email = 254;

    /// <summary>Identity hashes whatever it gets; far past any password manager's length is someone testing us.</summary>
    public const int Password = 256;

    public const int ApiKeyName = 100;

    /// <summary>A pat- token is about 44 characters; HubSpot's client secrets are 36.</summary>
    public const int AccessToken = 200;
    public const int ClientSecret = 200;
    public const int DefaultUserId = 20;
    public const int ApiBaseUrl = 500;

    public const int RoutingRules = 100;
    public const int KeywordsPerRule = 50;
    public const int Keyword = 100;

    public const int SignatureHtml = 20_000;
    public const int Signatures = 200;

    /// <summary>A DNS name's limit (253) plus "*.".</summary>
    public const int DomainPattern = 255;

    /// <summary>The message for a field over its limit, or null.</summary>
    public static string? TooLong(string? value, int limit, string what) =>
        value is not null && value.Length > limit ? $"{what} is longer than the limit of {limit} characters ({value.Length})." : null;

    /// <summary>Adds the field's over-limit message to <paramref name="errors"/>; true when it did.</summary>
    public static bool Check(Dictionary<string, string[]> errors, string field, string? value, int limit, string what)
    {
        if (TooLong(value, limit, what) is not { } message)
        {
            return false;
        }
        errors[field] = [message];
        return true;
    }
}
