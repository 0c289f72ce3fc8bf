using System.Text.Json.Nodes;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Deskbridge.Tests.Security;

/// <summary>S10: tokens and client secrets are encrypted at rest, never returned by the API, never written to a log.</summary>
public sealed class SecretsTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private ConnectedWorld _world = null!;

    public async Task InitializeAsync() => _world = await ConnectedWorld.StartAsync(
        new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" },
        configure: builder => builder.Logging.AddProvider(_logs)
            // A rule of its own wins over appsettings' per-category levels: this provider sees everything, at Trace.
            .AddFilter<CapturingLoggerProvider>(category: null, level: LogLevel.Trace));

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Token_and_client_secret_never_appear_in_logs_api_answers_or_the_database()
    {
        var token = _world.Sandbox.Options.DemoToken;
        var clientSecret = _world.Sandbox.Options.ClientSecret;

        // A full run: connected already; a customer is answered, then asks for a human (handoff, ticket, contact).
        var answered = await _world.CustomerWritesAsync("How long does standard shipping take?", channel: "email", subject: "Shipping");
        await _world.SettledEventsAsync(answered.ThreadId, atLeast: 3);
        var handedOff = await _world.CustomerWritesAsync("I want to talk to a real person please");
        await _world.SettledEventsAsync(handedOff.ThreadId, atLeast: 3);
        (await _world.Deskbridge.Http.PostAsync($"api/organizations/{_world.Organization.Id}/hubspot/retest", null)).EnsureSuccessStatusCode();

        var organization = await _world.Deskbridge.Http.GetStringAsync($"api/organizations/{_world.Organization.Id}");
        var health = await _world.Deskbridge.Http.GetStringAsync($"api/organizations/{_world.Organization.Id}/health");
        Assert.DoesNotContain(token, organization, StringComparison.Ordinal);
        Assert.DoesNotContain(clientSecret, organization, StringComparison.Ordinal);
        Assert.DoesNotContain(token, health, StringComparison.Ordinal);
        Assert.Equal(token[^4..], (string?)JsonNode.Parse(organization)!["connection"]!["accessTokenLast4"]);

        await using (var scope = _world.Deskbridge.Services.CreateAsyncScope())
        {
            var connection = await scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().Connections.AsNoTracking().SingleAsync(c => c.OrganizationId == _world.Organization.Id);
            Assert.DoesNotContain(token, connection.EncryptedAccessToken, StringComparison.Ordinal);
            Assert.DoesNotContain(clientSecret, connection.EncryptedClientSecret!, StringComparison.Ordinal);
            Assert.Equal(token, scope.ServiceProvider.GetRequiredService<SecretProtector>().Unprotect(connection.EncryptedAccessToken));
        }
        var databaseFiles = Directory.GetFiles(_world.Deskbridge.DataDirectory, "*.db*", SearchOption.AllDirectories);
        Assert.NotEmpty(databaseFiles);
        foreach (var file in databaseFiles)
        {
            var bytes = await ReadSharedAsync(file);
            Assert.DoesNotContain(token, bytes, StringComparison.Ordinal);
            Assert.DoesNotContain(clientSecret, bytes, StringComparison.Ordinal);
        }

        var lines = _logs.Lines;
        Assert.True(lines.Count > 50, $"only {lines.Count} log lines were captured; the capture is not seeing the service");
        Assert.Contains(lines, l => l.Contains("Replied", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("System.Net.Http.HttpClient", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(clientSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(token[4..^4], StringComparison.Ordinal));
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
        return await reader.ReadToEndAsync();
    }
}
