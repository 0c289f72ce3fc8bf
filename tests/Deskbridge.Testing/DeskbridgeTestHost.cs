using System.Net.Http.Json;
using System.Text.Json;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Testing;

/// <summary>
/// The real Deskbridge service on a real port over a real SQLite file. Stopping and starting another host on the same
/// data directory is how the crash tests restart it. With <c>Storage:Provider=Postgres</c> and no connection string the
/// host creates a PostgreSQL database of its own and drops it when disposed.
/// </summary>
public sealed class DeskbridgeTestHost : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>The operator key (Admin:ApiKey) the test client sends: it reaches every organization.</summary>
    public const string OperatorKey = "test-operator-key-0123456789";

    private readonly WebApplication _app;
    private readonly PostgresTestDatabase? _ownDatabase;

    private DeskbridgeTestHost(WebApplication app, Uri baseAddress, string dataDirectory, PostgresTestDatabase? ownDatabase)
    {
        _app = app;
        _ownDatabase = ownDatabase;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
    }

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    public static string NewDataDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "deskbridge-tests", Guid.NewGuid().ToString("N"))).FullName;

    /// <param name="configure">Passed to <see cref="DeskbridgeApp.Build"/> (e.g. to add a logger provider).</param>
    public static async Task<DeskbridgeTestHost> StartAsync(string? dataDirectory = null, IDictionary<string, string?>? settings = null, int port = 0,
        Action<WebApplicationBuilder>? configure = null)
    {
        dataDirectory ??= NewDataDirectory();
        var values = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Demo:Enabled"] = "false",
            ["Processing:EmailDelay"] = "00:00:01",
            // G3 off unless a test turns it on (per organization or here): most tests count one answer per message.
            ["Processing:ChatBurstWindow"] = "00:00:00",
            // G5's age rule (1 s in production) would add a call to slow answers on a busy test machine, and call budgets are
            // counted; the takeover tests set their own.
            ["Processing:OwnerRecheckAfter"] = "00:00:05",
            ["Processing:RetryBaseDelay"] = "00:00:00.200",
            ["Processing:PollInterval"] = "00:00:00.200",
            ["HubSpot:RetryBaseDelay"] = "00:00:00.050",
            ["HubSpot:RateLimitedDelay"] = "00:00:00.200",
            ["HubSpot:AttemptTimeout"] = "00:00:02",
            ["HubSpot:TotalTimeout"] = "00:00:15",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Admin:ApiKey"] = OperatorKey,
            // The sandbox listens on a port picked at start: the operator allowance tenants need to connect to it.
            ["HubSpot:AllowLoopbackTenantBaseUrls"] = "true",
            // Every test client is 127.0.0.1 and polls with the operator key: the limits' own tests set them low.
            ["Security:SignInAttemptsPerMinute"] = "10000",
            ["Security:ApiKeyRequestsPerMinute"] = "1000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        PostgresTestDatabase? ownDatabase = null;
        var connectionKey = $"ConnectionStrings:{StorageRegistration.ConnectionStringName}";
        if (values.GetValueOrDefault("Storage:Provider") == nameof(StorageProvider.Postgres) && values.GetValueOrDefault(connectionKey) is null)
        {
            ownDatabase = await PostgresTestDatabase.CreateAsync();
            values[connectionKey] = ownDatabase.ConnectionString;
        }

        WebApplication app;
        try
        {
            app = DeskbridgeApp.Build(["--urls", $"http://127.0.0.1:{port}", "--environment", "Development"], values, configure);
            await app.MigrateDatabaseAsync();
            await app.StartAsync();
        }
        catch when (ownDatabase is not null)
        {
            await ownDatabase.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DeskbridgeTestHost(app, new Uri(address.TrimEnd('/') + "/"), dataDirectory, ownDatabase);
    }

    public async Task<T> GetJsonAsync<T>(string path) =>
        (await Http.GetFromJsonAsync<T>(path, Json))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
        if (_ownDatabase is not null)
        {
            await _ownDatabase.DisposeAsync();
        }
    }
}
