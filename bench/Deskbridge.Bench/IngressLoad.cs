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

        // BENCH_ONLY=latency or throughput: one half alone (A/B runs on a loaded machine want many short runs).
        var only = Environment.GetEnvironmentVariable("BENCH_ONLY");
        // First, on an empty inbox: the steady state, with processing keeping up, not a backlog left by the throughput runs.
        if (only != "throughput")
        {
            await AckLatencyAsync(http, bare.Url, deskbridge.Url, duration);
        }
        if (only == "latency")
        {
            return;
        }
        Console.WriteLine();
        Console.WriteLine($"Ingress throughput, {concurrency} concurrent senders, {seconds:0} s per run, {Environment.ProcessorCount} cores; " +
            "events/s, and CPU of the whole bench process (senders, endpoints, processing) per 1,000 events");
        // "2 instances": a second Deskbridge on the same database (same settings; here in the same process, with its own
        // write gate, inbox processor and leases, as a second process would have), started for its run and stopped after,
        // the senders split between the two on the same organization's URL.
        var twoInstances = Environment.GetEnvironmentVariable("BENCH_TWO_INSTANCES") != "false";
        var targets = new List<(string Name, DeskbridgeEndpoint? First, bool Two)> { ("bare endpoint", null, false), ("SQLite", deskbridge, false) };
        if (twoInstances)
        {
            targets.Add(("SQLite, 2 instances", deskbridge, true));
        }
        if (onPostgres is not null)
        {
            targets.Add(("PostgreSQL", onPostgres, false));
            if (twoInstances)
            {
                targets.Add(("PostgreSQL, 2 instances", onPostgres, true));
            }
        }
        Console.WriteLine("| batch | " + string.Join(" | ", targets.Select(t => $"{t.Name} events/s | CPU ms/1k")) + " |");
        Console.WriteLine("|---:|" + string.Concat(targets.Select(_ => "---:|---:|")));
        foreach (var batchSize in new[] { 1, 10, 100 })
        {
            var line = $"| {batchSize} |";
            foreach (var (_, first, two) in targets)
            {
                await using var second = two ? await first!.StartSecondAsync() : null;
                string[] urls = first is null ? [bare.Url] : second is null ? [first.Url] : [first.Url, second.Url];
                await ClosedLoopAsync(http, urls, batchSize, concurrency, TimeSpan.FromSeconds(1)); // warm-up
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var (rate, events) = await ClosedLoopAsync(http, urls, batchSize, concurrency, duration);
                var cpuPerThousand = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / events * 1000;
                line += $" {rate:N0} | {cpuPerThousand:0.0} |";
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

    /// <summary>P2: ack latency at a steady 1,000 events/s, the bare endpoint and Deskbridge side by side.</summary>
    private static async Task AckLatencyAsync(HttpClient http, string bareUrl, string deskbridgeUrl, TimeSpan duration)
    {
        Console.WriteLine("Ack latency at a steady 1,000 events/s (open loop)");
        Console.WriteLine("| batch | requests/s | endpoint | p50 ms | p99 ms | max ms | CPU ms/1k |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|");
        foreach (var batchSize in new[] { 1, 10 })
        {
            foreach (var (name, url) in new[] { ("bare", bareUrl), ("Deskbridge", deskbridgeUrl) })
            {
                await OpenLoopAsync(http, url, batchSize, eventsPerSecond: 1000, TimeSpan.FromSeconds(2)); // warm-up, not counted
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var latencies = await OpenLoopAsync(http, url, batchSize, eventsPerSecond: 1000, duration);
                var cpuPerThousand = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / (latencies.Count * batchSize) * 1000;
                latencies.Sort();
                Console.WriteLine($"| {batchSize} | {1000 / batchSize} | {name} | {Percentile(latencies, 0.50):0.00} | {Percentile(latencies, 0.99):0.00} | {latencies[^1]:0.00} | {cpuPerThousand:0.0} |");
            }
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

    /// <summary>Senders spread over <paramref name="urls"/> (sender i on instance i mod n), each sending its next batch once the last was answered.</summary>
    private static async Task<(double Rate, long Events)> ClosedLoopAsync(HttpClient http, string[] urls, int batchSize, int concurrency, TimeSpan duration)
    {
        long events = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async sender =>
        {
            var url = urls[sender % urls.Length];
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
        return (events / stopwatch.Elapsed.TotalSeconds, events);
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
            // Sleep, never spin: at 1,000 requests/s a spinning sender (as this loop was until 2 December) kept one of the
            // machine's two cores busy, so the service under test and the bare endpoint ran on the other. A request is
            // sent at most about a millisecond late (the timer's step; those due meanwhile go out together), and its
            // latency counts from when it was sent.
            while (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due) is { Ticks: > 0 } remaining)
            {
                await Task.Delay(remaining > TimeSpan.FromMilliseconds(1) ? remaining : TimeSpan.FromMilliseconds(1));
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

    private sealed class DeskbridgeEndpoint(WebApplication app, string url, string? postgresServer, string? database, Dictionary<string, string?> settings,
        bool ownsDatabase = true) : IAsyncDisposable
    {
        public string Url { get; } = url;

        /// <summary>Another instance on this one's database (same settings), taking webhooks on the same organization's URL.</summary>
        public async Task<DeskbridgeEndpoint> StartSecondAsync()
        {
            var second = await StartAppAsync(settings);
            var baseUrl = Address(second);
            var path = new Uri(Url).PathAndQuery.TrimStart('/');
            return new DeskbridgeEndpoint(second, baseUrl + path, postgresServer, database, settings, ownsDatabase: false);
        }

        private static async Task<WebApplication> StartAppAsync(Dictionary<string, string?> settings)
        {
            var app = DeskbridgeApp.Build(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>(settings));
            await app.MigrateDatabaseAsync();
            await app.StartAsync();
            return app;
        }

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
            var settings = new Dictionary<string, string?>(storage)
            {
                ["Storage:DataDirectory"] = data,
                ["Demo:Enabled"] = "false",
                ["Processing:Enabled"] = Environment.GetEnvironmentVariable("BENCH_PROCESSING") ?? "true",
                ["Storage:Synchronous"] = Environment.GetEnvironmentVariable("BENCH_SYNCHRONOUS") ?? "FULL",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Deskbridge"] = "Warning",
                ["Admin:ApiKey"] = "bench-operator-key",
            };
            var app = await StartAppAsync(settings);
            var baseUrl = Address(app);
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Add("X-Api-Key", "bench-operator-key");
            var created = await http.PostAsJsonAsync(baseUrl + "api/organizations", new { name = "Bench" });
            created.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            return new DeskbridgeEndpoint(app, doc.RootElement.GetProperty("webhookUrl").GetString()!.Replace("http://localhost:5000/", baseUrl, StringComparison.Ordinal),
                postgresServer, database, settings);
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
            if (postgresServer is not null && ownsDatabase)
            {
                await PostgresAsync(postgresServer, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            }
        }
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
}
