using System.Text.RegularExpressions;

namespace Deskbridge.Knowledge.Import;

/// <summary>
/// robots.txt as RFC 9309 reads it: the group naming our product token (else <c>*</c>); the longest matching Allow or
/// Disallow rule wins, Allow on a tie; <c>*</c> matches any run of characters and a final <c>$</c> the end of the path.
/// </summary>
public sealed partial class RobotsTxt
{
    private readonly List<(bool Allow, string Pattern)> _rules;

    private RobotsTxt(List<(bool Allow, string Pattern)> rules, bool disallowAll)
    {
        _rules = rules;
        DisallowsAll = disallowAll;
    }

    /// <summary>No robots.txt (404 or another 4xx): everything may be fetched.</summary>
    public static RobotsTxt AllowAll { get; } = new([], false);

    /// <summary>robots.txt could not be read (5xx, unreachable): RFC 9309 says to assume complete disallow.</summary>
    public static RobotsTxt Unreachable { get; } = new([], true);

    public bool DisallowsAll { get; }

    public static RobotsTxt Parse(string text, string userAgent)
    {
        var token = userAgent.Split('/', 2)[0].Trim().ToLowerInvariant();
        var groups = new List<(List<string> Agents, List<(bool, string)> Rules)>();
        (List<string> Agents, List<(bool, string)> Rules)? current = null;
        var lastWasAgent = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#', 2)[0].Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var field = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (field == "user-agent")
            {
                if (current is null || !lastWasAgent)
                {
                    current = ([], []);
                    groups.Add(current.Value);
                }
                current.Value.Agents.Add(value.ToLowerInvariant());
                lastWasAgent = true;
                continue;
            }
            lastWasAgent = false;
            if (current is not null && (field == "allow" || field == "disallow") && value.Length > 0)
            {
                current.Value.Rules.Add((field == "allow", value));
            }
        }

        var mine = groups.Where(g => g.Agents.Contains(token)).SelectMany(g => g.Rules).ToList();
        if (mine.Count == 0 && !groups.Any(g => g.Agents.Contains(token)))
        {
            mine = [.. groups.Where(g => g.Agents.Contains("*")).SelectMany(g => g.Rules)];
        }
        return new RobotsTxt(mine, false);
    }

    /// <summary>Whether the path (with its query) may be fetched.</summary>
    public bool Allows(string pathAndQuery)
    {
        if (DisallowsAll)
        {
            return false;
        }
        if (pathAndQuery == "/robots.txt")
        {
            return true;
        }
        var best = -1;
        var allowed = true;
        foreach (var (allow, pattern) in _rules)
        {
            if (Matches(pattern, pathAndQuery) && (pattern.Length > best || (pattern.Length == best && allow)))
            {
                best = pattern.Length;
                allowed = allow;
            }
        }
        return allowed;
    }

    private static bool Matches(string pattern, string path)
    {
        var anchored = pattern.EndsWith('$');
        var body = anchored ? pattern[..^1] : pattern;
        var regex = "^" + string.Join(".*", body.Split('*').Select(Regex.Escape)) + (anchored ? "$" : "");
        return Regex.IsMatch(path, regex, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
