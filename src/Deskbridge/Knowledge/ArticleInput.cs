using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Deskbridge.Agent.Analysis;

namespace Deskbridge.Knowledge;

/// <summary>An article as a person or an import gives it: checked here, once, for the API, the dashboard and the imports alike.</summary>
public sealed record ArticleInput(string? Title, string? Markdown, string? Slug = null, string? Language = null);

public static partial class ArticleRules
{
    public const int TitleLimit = 300;
    public const int SlugLimit = 100;

    /// <summary>Below this detector confidence an article's language is left unknown rather than guessed.</summary>
    private const double MinLanguageConfidence = 0.5;

    /// <summary>Field errors (API names) of the input; empty when it may be saved.</summary>
    public static Dictionary<string, string[]> Validate(ArticleInput input, KnowledgeOptions options)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(input.Title))
        {
            errors["title"] = ["Give the article a title."];
        }
        else if (input.Title.Length > TitleLimit)
        {
            errors["title"] = [$"The title is longer than the limit of {TitleLimit} characters ({input.Title.Length})."];
        }
        if (string.IsNullOrWhiteSpace(input.Markdown))
        {
            errors["markdown"] = ["The article has no text."];
        }
        else if (input.Markdown.Length > options.MaxArticleCharacters)
        {
            errors["markdown"] = [$"The article is longer than the limit of {options.MaxArticleCharacters} characters ({input.Markdown.Length})."];
        }
        if (!string.IsNullOrEmpty(input.Slug) && (input.Slug.Length > SlugLimit || !SlugPattern().IsMatch(input.Slug)))
        {
            errors["slug"] = [$"The slug must be lower-case letters, digits and dashes, at most {SlugLimit} characters (e.g. returns-and-refunds)."];
        }
        if (!string.IsNullOrEmpty(input.Language) && !LanguagePattern().IsMatch(input.Language))
        {
            errors["language"] = ["The language is an ISO 639-1 code of two lower-case letters (e.g. en, de), or empty to detect it."];
        }
        return errors;
    }

    /// <summary>The language given, else the detector's guess when it is confident enough, else null (unknown).</summary>
    public static string? LanguageOf(ArticleInput input)
    {
        if (!string.IsNullOrEmpty(input.Language))
        {
            return input.Language;
        }
        var guess = LanguageDetector.Default.Detect($"{input.Title}\n{input.Markdown}");
        return guess.Language != LanguageDetector.Undetermined && guess.Confidence >= MinLanguageConfidence ? guess.Language : null;
    }

    public static string SlugFrom(string text)
    {
        var slug = Organizations.Slugs.From(text);
        return slug.Length > SlugLimit ? slug[..SlugLimit].TrimEnd('-') : slug;
    }

    public static string Hash(string title, string? language, string markdown) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{title}\n{language}\n{markdown}")));

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[a-z]{2}$")]
    private static partial Regex LanguagePattern();
}
