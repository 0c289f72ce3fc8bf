using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Deskbridge.Bench;

/// <summary>
/// Webhook ingress under load, against a bare Kestrel endpoint that only reads the body and answers 200, in the same
/// run on the same machine: events/s per batch size (closed loop) and ack latency at a steady 1,000 events/s (open loop).
/// </summary>
public static class IngressLoad
{
    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var concurrency = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 16;
        var duration = TimeSpan.FromSeconds(seconds);

        await using var bare = await BareEndpoint.StartAsync();
        await using var deskbridge = await DeskbridgeEndpoint.StartAsync(postgresServer: null);
        // BENCH_POSTGRES=<connection string to a server>: a second Deskbridge on a PostgreSQL database of its own, in the same run.
        var postgresServer = Environment.GetEnvironmentVariable("BENCH_POSTGRES");
        await using var onPostgres = postgresServer is { Length: > 0 } ? await DeskbridgeEndpoint.StartAsync(postgresServer) : null;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromSeconds(30) };

        if (Environment.GetEnvironmentVariable("BENCH_SEQUENTIAL") is not null)
        {
            foreach (var (name, url) in new[] { ("bare", bare.Url), ("Deskbridge", deskbridge.Url) })
            {
                for (var warm = 0; warm < 2; warm++)
                {
                    var sw = Stopwatch.StartNew();
                    for (var i = 0; i < 500; i++)
                    {
                        using var content = new ByteArrayContent(Batch(1));
                        content.Headers.ContentType = new("application/json");
                        using var response = await http.PostAsync(url, content);
                        response.EnsureSuccessStatusCode();
                    }
                    Console.WriteLine($"sequential {name}: {sw.Elapsed.TotalMilliseconds / 500:0.000} ms per request");
                }
            }
            return;
        }

        // First, on an empty inbox: the steady state, with processing keeping up, not a backlog left by the throughput runs.
        Console.WriteLine("Ack latency at a steady 1,000 events/s (open loop)");
        Console.WriteLine("| batch | requests/s | endpoint | p50 ms | p99 ms | max ms |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|");
        foreach (var batchSize in new[] { 1, 10 })
        {
            foreach (var (name, url) in new[] { ("bare", bare.Url), ("Deskbridge", deskbridge.Url) })
            {
                await OpenLoopAsync(http, url, batchSize, eventsPerSecond: 1000, TimeSpan.FromSeconds(2)); // warm-up, not counted
                var latencies = await OpenLoopAsync(http, url, batchSize, eventsPerSecond: 1000, duration);
                latencies.Sort();
                Console.WriteLine($"| {batchSize} | {1000 / batchSize} | {name} | {Percentile(latencies, 0.50):0.00} | {Percentile(latencies, 0.99):0.00} | {latencies[^1]:0.00} |");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Ingress throughput, {concurrency} concurrent senders, {seconds:0} s per run, {Environment.ProcessorCount} cores");
        Console.WriteLine(onPostgres is null
            ? "| batch | bare endpoint events/s | Deskbridge events/s | ratio |"
            : "| batch | bare endpoint events/s | Deskbridge SQLite events/s | ratio | Deskbridge PostgreSQL events/s | ratio |");
        Console.WriteLine(onPostgres is null ? "|---:|---:|---:|---:|" : "|---:|---:|---:|---:|---:|---:|");
        foreach (var batchSize in new[] { 1, 10, 100 })
        {
            await ClosedLoopAsync(http, bare.Url, batchSize, concurrency, TimeSpan.FromSeconds(1)); // warm-up
            var bareRate = await ClosedLoopAsync(http, bare.Url, batchSize, concurrency, duration);
            await ClosedLoopAsync(http, deskbridge.Url, batchSize, concurrency, TimeSpan.FromSeconds(1));
            var deskRate = await ClosedLoopAsync(http, deskbridge.Url, batchSize, concurrency, duration);
            var line = $"| {batchSize} | {bareRate:N0} | {deskRate:N0} | {deskRate / bareRate:0.00} |";
            if (onPostgres is not null)
            {
                await ClosedLoopAsync(http, onPostgres.Url, batchSize, concurrency, TimeSpan.FromSeconds(1));
                var postgresRate = await ClosedLoopAsync(http, onPostgres.Url, batchSize, concurrency, duration);
                line += $" {postgresRate:N0} | {postgresRate / bareRate:0.00} |";
            }
            Console.WriteLine(line);
        }

        var stored = await deskbridge.CountStoredAsync();
        Console.WriteLine();
        var synchronous = Environment.GetEnvironmentVariable("BENCH_SYNCHRONOUS") ?? "FULL";
        var processing = Environment.GetEnvironmentVariable("BENCH_PROCESSING") == "false" ? "off" : "on";
        Console.WriteLine($"Deskbridge stored {stored:N0} events durably (SQLite, WAL, synchronous={synchronous}, processing {processing}) during the run.");
        if (onPostgres is not null)
        {
            Console.WriteLine($"Deskbridge on PostgreSQL stored {await onPostgres.CountStoredAsync():N0} events (server defaults: fsync on, synchronous_commit on).");
        }
    }

    private static long Sequence;

    private static byte[] Batch(int size)
    {
        var events = Enumerable.Range(0, size).Select(_ =>
        {
            var id = Interlocked.Increment(ref Sequence);
            return new
            {
                eventId = id,
                subscriptionId = 1,
                portalId = 24681357,
                appId = 2345678,
                occurredAt = 1764000000000 + id,
                subscriptionType = "conversation.newMessage",
                attemptNumber = 0,
                objectId = 1000 + (id % 500),
                changeSource = "CRM",
                messageId = $"msg-{id}",
                messageType = "MESSAGE",
                changeFlag = "NEW_MESSAGE",
            };
        });
        return JsonSerializer.SerializeToUtf8Bytes(events);
    }

    private static async Task<double> ClosedLoopAsync(HttpClient http, string url, int batchSize, int concurrency, TimeSpan duration)
    {
        long events = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stopwatch.Elapsed < duration)
            {
                using var content = new ByteArrayContent(Batch(batchSize));
                content.Headers.ContentType = new("application/json");
                using var response = await http.PostAsync(url, content);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
                Interlocked.Add(ref events, batchSize);
            }
        });
        await Task.WhenAll(workers);
        return events / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<List<double>> OpenLoopAsync(HttpClient http, string url, int batchSize, int eventsPerSecond, TimeSpan duration)
    {
        var requestsPerSecond = eventsPerSecond / batchSize;
        var total = (int)(requestsPerSecond * duration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1.0 / requestsPerSecond);
        var latencies = new List<double>(total);
        var pending = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            // Send on schedule whether or not earlier requests have returned, so slow answers show up as latency.
            var due = start + (long)(interval.TotalSeconds * i * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < due)
            {
                var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (remaining > TimeSpan.FromMilliseconds(2))
                {
                    await Task.Delay(remaining - TimeSpan.FromMilliseconds(1));
                }
                else
                {
                    Thread.SpinWait(50);
                }
            }
            var body = Batch(batchSize);
            pending.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                using var response = await http.PostAsync(url, content);
                response.EnsureSuccessStatusCode();
                var elapsed = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(elapsed);
                }
            }));
        }
        await Task.WhenAll(pending);
        return latencies;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private sealed class BareEndpoint(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url { get; } = url;

        public static async Task<BareEndpoint> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/hook", async (HttpRequest request) =>
            {
                // Read the whole body, as any real endpoint must, then acknowledge.
                var buffer = new byte[16 * 1024];
                while (await request.Body.ReadAsync(buffer) > 0)
                {
                }
                return Results.Ok();
            });
            await app.StartAsync();
            return new BareEndpoint(app, Address(app) + "hook");
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private sealed class DeskbridgeEndpoint(WebApplication app, string url, string? postgresServer, string? database) : IAsyncDisposable
    {
        public string Url { get; } = url;

        public static async Task<DeskbridgeEndpoint> StartAsync(string? postgresServer)
        {
            var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "deskbridge-bench", Guid.NewGuid().ToString("N"))).FullName;
            var storage = new Dictionary<string, string?>();
            string? database = null;
            if (postgresServer is not null)
            {
                database = $"deskbridge_bench_{Guid.NewGuid():N}";
                await PostgresAsync(postgresServer, $"CREATE DATABASE \"{database}\"");
                storage["Storage:Provider"] = "Postgres";
                storage["ConnectionStrings:Deskbridge"] = new Npgsql.NpgsqlConnectionStringBuilder(postgresServer) { Database = database }.ConnectionString;
            }
            var app = DeskbridgeApp.Build(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>(storage)
            {
                ["Storage:DataDirectory"] = data,
                ["Demo:Enabled"] = "false",
                ["Processing:Enabled"] = Environment.GetEnvironmentVariable("BENCH_PROCESSING") ?? "true",
                ["Storage:Synchronous"] = Environment.GetEnvironmentVariable("BENCH_SYNCHRONOUS") ?? "FULL",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Deskbridge"] = "Warning",
                ["Admin:ApiKey"] = "bench-operator-key",
            });
            await app.MigrateDatabaseAsync();
            await app.StartAsync();
            var baseUrl = Address(app);
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Add("X-Api-Key", "bench-operator-key");
            var created = await http.PostAsJsonAsync(baseUrl + "api/organizations", new { name = "Bench" });
            created.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            return new DeskbridgeEndpoint(app, doc.RootElement.GetProperty("webhookUrl").GetString()!.Replace("http://localhost:5000/", baseUrl, StringComparison.Ordinal),
                postgresServer, database);
        }

        private static async Task PostgresAsync(string server, string sql)
        {
            await using var connection = new Npgsql.NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }

        public async Task<long> CountStoredAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
            return db.InboxEvents.LongCount();
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            if (postgresServer is not null)
            {
                await PostgresAsync(postgresServer, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            }
        }
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
}
