using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Deskbridge.Inbox;
using Deskbridge.Retention;
using Deskbridge.Storage;
using Deskbridge.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Bench;

/// <summary>
/// X5: N events over a simulated long run (default 200,000 over 90 days), once with pruning and once without, printing
/// the database file size as the simulated days pass. A third of the events are customer messages, "processed" by
/// the bench (processing itself is off: this measures storage, not HubSpot calls); the rest are changes Deskbridge
/// ignores. Retention runs a round every simulated 6 hours with the default periods (payloads 7 d, events 30 d,
/// dedup keys 3 d).
/// </summary>
public static class RetentionLoad
{
    private const int EventsPerBatch = 100;

    public static async Task RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        var days = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 90;
        Console.WriteLine($"retention: {total:N0} events over {days} simulated days, {EventsPerBatch} per webhook batch");
        var off = await RunOnceAsync(total, days, prune: false);
        var on = await RunOnceAsync(total, days, prune: true);
        Console.WriteLine($"final size: pruning off {Mb(off)}, pruning on {Mb(on)}, on/off = {(double)on / off:0.00}");
    }

    private static async Task<long> RunOnceAsync(int total, int days, bool prune)
    {
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "deskbridge-bench", Guid.NewGuid().ToString("N"))).FullName;
        var clock = new SimulatedClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var app = DeskbridgeApp.Build(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = data, ["Storage:Synchronous"] = "Normal", ["Demo:Enabled"] = "false", ["Processing:Enabled"] = "false",
            ["Retention:Enabled"] = "false", ["Logging:LogLevel:Default"] = "Warning",
        }, b => b.Services.AddSingleton<TimeProvider>(clock));
        await app.MigrateDatabaseAsync();
        var file = Path.Combine(data, "deskbridge.db");
        var pruner = app.Services.GetRequiredService<RetentionPruner>();
        var organization = Guid.NewGuid();
        var step = TimeSpan.FromDays(days) / (total / EventsPerBatch);
        var nextRound = clock.GetUtcNow() + TimeSpan.FromHours(6);
        var reportEvery = Math.Max(1, total / EventsPerBatch / 10);
        var watch = Stopwatch.StartNew();
        long peak = 0;
        var pruneTime = TimeSpan.Zero;
        var longestWrite = TimeSpan.Zero;
        Console.WriteLine($"-- pruning {(prune ? "on" : "off")}");
        for (var batch = 0; batch < total / EventsPerBatch; batch++)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(Enumerable.Range(0, EventsPerBatch).Select(i => Event(batch * EventsPerBatch + i)));
            _ = WebhookBatch.TryParse(body, out var events, out _);
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<InboxWriter>().WriteAsync([new IncomingBatch(organization, events)], CancellationToken.None);
                var now = clock.GetUtcNow();
                await scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().InboxEvents.Where(e => e.Status == EventStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EventStatus.Done).SetProperty(e => e.Fate, EventFate.Processed)
                        .SetProperty(e => e.CompletedAt, now).SetProperty(e => e.Reason, "Replied on the thread as the AI user (bench)."));
            }
            clock.Advance(step);
            if (prune && clock.GetUtcNow() >= nextRound)
            {
                var started = Stopwatch.GetTimestamp();
                var report = await pruner.RunOnceAsync(CancellationToken.None);
                longestWrite = report.LongestWrite > longestWrite ? report.LongestWrite : longestWrite;
                pruneTime += Stopwatch.GetElapsedTime(started);
                nextRound += TimeSpan.FromHours(6);
            }
            peak = Math.Max(peak, Size(file));
            if ((batch + 1) % reportEvery == 0)
            {
                Console.WriteLine($"day {(clock.GetUtcNow() - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalDays,5:0.0}: {(batch + 1) * EventsPerBatch,9:N0} events, file {Mb(Size(file))}");
            }
        }
        var size = Size(file);
        Console.WriteLine($"pruning {(prune ? "on" : "off")}: {Mb(size)} at the end, peak {Mb(peak)}, {watch.Elapsed.TotalSeconds:0.0} s (pruning {pruneTime.TotalSeconds:0.0} s, longest write {longestWrite.TotalMilliseconds:0.0} ms)");
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
        return size;
    }

    /// <summary>A third customer messages (one thread per 20), the rest contact and ticket changes.</summary>
    private static object Event(int n) => (n % 3) switch
    {
        0 => new
        {
            eventId = 10_000_000 + n, subscriptionId = 4_100_001, portalId = 146_000_123, appId = 5_500_001, occurredAt = 1_767_225_600_000L + n,
            subscriptionType = "conversation.newMessage", attemptNumber = 0, objectId = 9_000_000 + (n / 20), messageId = $"{Guid.NewGuid():N}",
            messageType = "MESSAGE", changeFlag = "NEW_MESSAGE", changeSource = "CONVERSATIONS",
        },
        1 => (object)new
        {
            eventId = 10_000_000 + n, subscriptionId = 4_100_002, portalId = 146_000_123, appId = 5_500_001, occurredAt = 1_767_225_600_000L + n,
            subscriptionType = "ticket.propertyChange", attemptNumber = 0, objectId = 7_000_000 + (n / 20), propertyName = "hs_pipeline_stage",
            propertyValue = "2", changeSource = "CRM_UI", sourceId = "userId:71822709",
        },
        _ => new
        {
            eventId = 10_000_000 + n, subscriptionId = 4_100_003, portalId = 146_000_123, appId = 5_500_001, occurredAt = 1_767_225_600_000L + n,
            subscriptionType = "contact.propertyChange", attemptNumber = 0, objectId = 5_000_000 + n, propertyName = "lastname",
            propertyValue = "Customer " + n, changeSource = "CRM_UI",
        },
    };

    private static long Size(string file) =>
        new FileInfo(file).Length + (File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0);

    private static string Mb(long bytes) => $"{bytes / 1024d / 1024d,7:0.0} MB";

    private sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
