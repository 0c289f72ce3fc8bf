using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Deskbridge.Llm.Prompts;

/// <summary>
/// The prompt files next to this class (<c>Prompts/*.md</c>), compiled into the assembly. Placeholders are
/// written <c>{{name}}</c>; a placeholder left unfilled is a bug and throws.
/// </summary>
internal static partial class PromptTemplates
{
    public const string AnswerSystem = "answer.system.md";
    public const string AnswerUser = "answer.user.md";
    public const string AnalyzeSystem = "analyze.system.md";
    public const string AnalyzeUser = "analyze.user.md";

    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    public static string Load(string fileName) => Cache.GetOrAdd(fileName, static name =>
    {
        var resource = "Deskbridge.Llm.Prompts." + name;
        using var stream = typeof(PromptTemplates).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The prompt '{resource}' is not embedded in the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
    });

    public static string Render(string fileName, IReadOnlyDictionary<string, string> values)
    {
        // Placeholders are found in the template first, so text inside a value is never taken for one.
        return Placeholder().Replace(Load(fileName), match => values.TryGetValue(match.Groups[1].Value, out var value)
            ? value
            : throw new InvalidOperationException($"The prompt '{fileName}' has no value for {match.Value}."));
    }

    [GeneratedRegex(@"\{\{([a-z_]+)\}\}")]
    private static partial Regex Placeholder();
}
