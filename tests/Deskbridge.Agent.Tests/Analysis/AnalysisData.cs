namespace Deskbridge.Agent.Tests.Analysis;

/// <summary>The measurement sets in Analysis/Data (see Analysis/Data/README.md), read from the source tree.</summary>
internal static class AnalysisData
{
    public static IReadOnlyList<string[]> ReadTsv(string fileName)
    {
        var path = Locate(fileName);
        return [.. File.ReadLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))];
    }

    private static string Locate(string fileName)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Deskbridge.Agent.Tests", "Analysis", "Data", fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            candidate = Path.Combine(directory.FullName, "Analysis", "Data", fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Analysis/Data/{fileName} not found above {AppContext.BaseDirectory}.");
    }
}
