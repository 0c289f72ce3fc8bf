using System.Diagnostics;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

/// <summary>L1: HubSpot's official Node client (@hubspot/api-client) works against the sandbox, unchanged apart from its base path.</summary>
public sealed class OfficialClientTests
{
    private static readonly string Folder = FindFolder();

    [Fact]
    public async Task Official_node_client_creates_searches_and_reads_like_against_hubspot()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await EnsureInstalledAsync();

        var (exit, output, error) = await RunAsync("node", $"official-client.mjs {sandbox.Server.BaseAddress} {sandbox.Options.DemoToken} {sandbox.Options.AiUserId}", TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, $"node exited {exit}: {error}\n{output}");
        var seen = JsonNode.Parse(output.Trim().Split('\n')[^1])!.AsObject();
        Assert.Equal((string?)seen["contactId"], (string?)seen["searchFirstId"]);
        Assert.Equal(1, (int)seen["searchTotal"]!);
        Assert.Equal(409, (int)seen["duplicateStatus"]!);
        Assert.Equal($"Contact already exists. Existing ID: {seen["contactId"]}", (string?)seen["duplicateMessage"]);
        Assert.Equal(sandbox.Options.AiUserId, (long)seen["ownerUserId"]!);
        Assert.Equal("HIGH", (string?)seen["ticketPriority"]);
        Assert.Contains((string?)seen["contactId"], seen["ticketContactIds"]!.AsArray().Select(i => (string?)i));
        Assert.Equal(404, (int)seen["missingTicketStatus"]!);
        Assert.Equal(200, (int)seen["threadsStatus"]!);
    }

    /// <summary>The client comes from the npm registry on first run (CI runs the same), pinned by package-lock.json.</summary>
    private static async Task EnsureInstalledAsync()
    {
        if (Directory.Exists(Path.Combine(Folder, "node_modules", "@hubspot", "api-client")))
        {
            return;
        }
        var (exit, output, error) = await RunAsync("npm", "ci --no-audit --no-fund", TimeSpan.FromMinutes(4));
        Assert.True(exit == 0, $"npm ci failed ({exit}): {error}\n{output}");
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string file, string arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} could not be started; Node.js 20+ and npm are needed for this test.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish within {timeout}.");
        }
        return (process.ExitCode, await output, await error);
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Deskbridge.HubSpotSandbox.Tests", "OfficialClient");
            if (File.Exists(Path.Combine(candidate, "official-client.mjs")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/Deskbridge.HubSpotSandbox.Tests/OfficialClient not found above the test output folder.");
    }
}
