namespace Deskbridge.Organizations;

/// <summary>Short names from display names: lower-case ASCII letters and digits joined by dashes.</summary>
public static class Slugs
{
    public static string From(string text)
    {
        var chars = text.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var slug = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length == 0 ? "org" : slug;
    }
}
