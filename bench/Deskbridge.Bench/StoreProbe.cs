using System.Diagnostics;
using System.Text.Json;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Deskbridge.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Bench;

/// <summary>Times the inbox transaction alone (no HTTP), to tell storage cost from request handling cost.</summary>
public static class StoreProbe
{
    public static async Task RunAsync()
    {
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "deskbridge-bench", Guid.NewGuid().ToString("N"))).FullName;
        var app = DeskbridgeApp.Build(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = data, ["Demo:Enabled"] = "false", ["Processing:Enabled"] = "false", ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.MigrateDatabaseAsync();
        var org = Guid.NewGuid();
        long id = 0;

        // Where a batch of 100 spends its CPU: parsing and the webhook rules alone, then parsing and the inbox write.
        var sample = JsonSerializer.SerializeToUtf8Bytes(Enumerable.Range(0, 100).Select(i => new
        {
            eventId = i, subscriptionId = 1, portalId = 24681357, appId = 2345678, occurredAt = 1764000000000 + i,
            subscriptionType = "conversation.newMessage", attemptNumber = 0, objectId = 1000 + (i % 50), changeSource = "CRM",
            messageId = $"msg-{i}", messageType = "MESSAGE", changeFlag = "NEW_MESSAGE",
        }));
        for (var warm = 0; warm < 2; warm++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            const int Rounds = 2000;
            for (var r = 0; r < Rounds; r++)
            {
                _ = WebhookBatch.TryParse(sample, out var parsed, out _);
                foreach (var e in parsed)
                {
                    _ = e.DedupKey;
                    _ = e.OrderingKey;
                }
            }
            Console.WriteLine($"parse + rules + keys, 100 events per batch: {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / (Rounds * 100.0):0.00} µs CPU per event " +
                $"({wall.Elapsed.TotalMicroseconds / (Rounds * 100.0):0.00} µs wall)");
        }
        foreach (var size in new[] { 1, 10, 100, 1000 })
        {
            var rounds = size >= 100 ? 50 : 200;
            var stopwatch = new Stopwatch();
            var cpuUsed = TimeSpan.Zero;
            var systemUsed = TimeSpan.Zero;
            for (var r = 0; r < rounds; r++)
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(Enumerable.Range(0, size).Select(_ => new { eventId = ++id, subscriptionType = "conversation.newMessage", objectId = id % 50, messageId = $"m{id}" }));
                _ = WebhookBatch.TryParse(body, out var events, out _);
                await using var scope = app.Services.CreateAsyncScope();
                var writer = scope.ServiceProvider.GetRequiredService<InboxWriter>();
                var before = Process.GetCurrentProcess();
                var (cpu, system) = (before.TotalProcessorTime, before.PrivilegedProcessorTime);
                stopwatch.Start();
                await writer.WriteAsync([new IncomingBatch(org, events)], CancellationToken.None);
                stopwatch.Stop();
                var after = Process.GetCurrentProcess();
                cpuUsed += after.TotalProcessorTime - cpu;
                systemUsed += after.PrivilegedProcessorTime - system;
            }
            Console.WriteLine($"{size} events per transaction: {stopwatch.Elapsed.TotalMilliseconds / rounds:0.00} ms; " +
                $"{cpuUsed.TotalMicroseconds / (rounds * (double)size):0.0} µs CPU per event, of which {systemUsed.TotalMicroseconds / (rounds * (double)size):0.0} in the kernel");
        }
        // The same durable commit without EF: connection from the pool, pragmas, one insert.
        var connectionString = $"Data Source={Path.Combine(data, "raw.db")};Cache=Private;Pooling=True";
        await using (var setup = new Microsoft.Data.Sqlite.SqliteConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = setup.CreateCommand();
            create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT);";
            await create.ExecuteNonQueryAsync();
        }
        var raw = Stopwatch.StartNew();
        for (var r = 0; r < 200; r++)
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = Environment.GetEnvironmentVariable("PROBE_PRAGMA") ?? "PRAGMA synchronous=FULL;";
            await pragma.ExecuteNonQueryAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO t(a) VALUES ('x')";
            await insert.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        Console.WriteLine($"raw ADO.NET, 1 row per transaction: {raw.Elapsed.TotalMilliseconds / 200:0.00} ms");
        await app.DisposeAsync();
    }
}
