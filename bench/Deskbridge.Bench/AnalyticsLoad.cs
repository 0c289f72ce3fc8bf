using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Deskbridge.Analytics;
using Deskbridge.Inbox;
using Deskbridge.Organizations;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Bench;

/// <summary>
/// I2: the analytics figures at scale. Seeds one organization with N events (default 1,000,000) and M conversations
/// (default 200,000) spread over 90 days — plus drafts for 5 % of the conversations — with raw multi-row INSERTs in one
/// transaction, into a real SQLite file (and, with --postgres, a PostgreSQL database of its own from DESKBRIDGE_TEST_POSTGRES).
/// Then times the same AnalyticsService the page uses, for the last 30 and 90 days, all channels and chat only, and the
/// JSON API over HTTP (what the page costs, less its HTML).
/// </summary>
public static class AnalyticsLoad
{
    private const int RowsPerInsert = 500;
    private const long DayMs = 86_400_000;
    private static readonly string[] Channels = ["chat", "chat", "chat", "chat", "chat", "chat", "email", "email", "email", "whatsapp"];
    private static readonly string[] Triggers = ["LowConfidence", "LowConfidence", "LowConfidence", "CustomerAskedForHuman", "CustomerAskedForHuman", "AngryCustomer", "SendPolicy", "AgentUnavailable"];
    private static readonly string[] SkipCodeMix =
    [
        SkipCodes.OwnMessage, SkipCodes.OwnMessage, SkipCodes.OwnMessage, SkipCodes.OwnMessage, SkipCodes.HumanAgentMessage, SkipCodes.HumanAgentMessage,
        SkipCodes.InternalComment, SkipCodes.HandedOff, SkipCodes.HumanOwned, SkipCodes.MachineSender, SkipCodes.AutopilotOff, SkipCodes.ReplyCap, SkipCodes.NotActedOn,
    ];

    public static async Task RunAsync(string[] args)
    {
        var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var events = numbers.Length > 0 ? numbers[0] : 1_000_000;
        var sessions = numbers.Length > 1 ? numbers[1] : 200_000;
        Console.WriteLine($"analytics: {events:N0} events, {sessions:N0} conversations over 90 days");
        await RunOnceAsync(StorageProvider.Sqlite, events, sessions);
        if (args.Contains("--postgres"))
        {
            await RunOnceAsync(StorageProvider.Postgres, events, sessions);
        }
    }

    private static async Task RunOnceAsync(StorageProvider provider, int events, int sessions)
    {
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "deskbridge-bench", Guid.NewGuid().ToString("N"))).FullName;
        await using var database = provider == StorageProvider.Postgres ? await PostgresTestDatabase.CreateAsync() : null;
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = data, ["Demo:Enabled"] = "false", ["Processing:Enabled"] = "false", ["Retention:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning", ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = Environment.GetEnvironmentVariable("BENCH_SQL_LOG") is { Length: > 0 } ? "Information" : "Warning", ["Admin:ApiKey"] = "bench-operator-key-0123456789", ["Security:ApiKeyRequestsPerMinute"] = "1000000",
        };
        foreach (var (key, value) in database?.Settings() ?? [])
        {
            settings[key] = value;
        }
        var app = DeskbridgeApp.Build(["--urls", "http://127.0.0.1:0"], settings);
        await app.MigrateDatabaseAsync();
        await app.StartAsync();
        try
        {
            var organization = new Organization { Name = "Bench Shop", Slug = "bench-shop", CreatedAt = DateTimeOffset.UtcNow };
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
                db.Organizations.Add(organization);
                await db.SaveChangesAsync();
                var watch = Stopwatch.StartNew();
                await SeedAsync(db, provider, organization.Id, events, sessions);
                Console.WriteLine($"-- {provider}: seeded in {watch.Elapsed.TotalSeconds:0.0} s{(provider == StorageProvider.Sqlite ? $", file {new FileInfo(Path.Combine(data, "deskbridge.db")).Length / 1024d / 1024d:0} MB" : "")}");
            }

            foreach (var (days, channel) in new[] { (30, (string?)null), (90, null), (30, "chat"), (90, "chat") })
            {
                var period = AnalyticsPeriod.TryParse(null, null, days.ToString(CultureInfo.InvariantCulture), channel, DateTimeOffset.UtcNow, 366, out _)!;
                var times = new List<double>();
                AnalyticsReport? report = null;
                for (var run = 0; run < 6; run++)
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    var started = Stopwatch.GetTimestamp();
                    report = await scope.ServiceProvider.GetRequiredService<AnalyticsService>().ComputeAsync(organization.Id, period, CancellationToken.None);
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                Console.WriteLine($"service {days,2} days {channel ?? "all",-5}: first {times[0],6:0} ms, median of the next 5 {Median(times.Skip(1)),6:0} ms " +
                    $"({report!.Conversations.Handled:N0} conversations, {report.Skipped:N0} skips, {report.Drafts.Total:N0} drafts, p50 {report.TimeToFirstAiAnswer.P50Ms} ms, p90 {report.TimeToFirstAiAnswer.P90Ms} ms)");
            }

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(1) };
            http.DefaultRequestHeaders.Add("X-Api-Key", "bench-operator-key-0123456789");
            foreach (var days in new[] { 30, 90 })
            {
                var times = new List<double>();
                for (var run = 0; run < 6; run++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var response = await http.GetAsync($"api/organizations/{organization.Id}/analytics?days={days}");
                    response.EnsureSuccessStatusCode();
                    _ = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                Console.WriteLine($"HTTP GET /analytics?days={days}: first {times[0],6:0} ms, median of the next 5 {Median(times.Skip(1)),6:0} ms");
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Multi-row INSERTs of literal values (generated here, no outside text), 500 rows a statement, one transaction per table.</summary>
    private static async Task SeedAsync(DeskbridgeDb db, StorageProvider provider, Guid organizationId, int eventCount, int sessionCount)
    {
        var random = new Random(15);
        var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var start = end - 90 * DayMs;
        var org = Uuid(provider, organizationId);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var threads = new string[sessionCount];
        var sessionIds = new Guid[sessionCount];

        await InsertAsync(connection, "Sessions",
            "\"Id\",\"OrganizationId\",\"ThreadId\",\"CreatedAt\",\"State\",\"HumanTookOver\",\"AiPaused\",\"CustomData\",\"CustomDataStamps\",\"Channel\",\"Language\",\"Status\"," +
            "\"FirstCustomerMessageAt\",\"LastCustomerMessageAt\",\"CustomerMessages\",\"FirstAiReplyAt\",\"LastAiReplyAt\",\"AiReplies\",\"HandedOffAt\",\"HandoffTrigger\",\"HandoffReason\",\"HumanTakeoverAt\",\"LastActivityAt\"",
            sessionCount, i =>
            {
                sessionIds[i] = Guid.NewGuid();
                threads[i] = (8_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
                var first = start + (long)(random.NextDouble() * 90 * DayMs);
                var answered = random.NextDouble() < 0.75;
                var firstAi = answered ? first + 1_500 + (long)(Math.Exp(random.NextDouble() * 4.5) * 1000) : (long?)null;
                var replies = answered ? 1 + random.Next(3) : 0;
                var lastAi = firstAi + (replies - 1) * 120_000L;
                var cameBack = answered && random.NextDouble() < 0.15;
                var lastCustomer = cameBack ? lastAi!.Value + 60_000 + random.Next(3_600_000) : (lastAi ?? first) - (answered ? 1_000 : 0);
                var handedOff = random.NextDouble() < (answered ? 0.08 : 0.6) ? (lastAi ?? first) + 5_000 : (long?)null;
                var takeover = (handedOff is not null && random.NextDouble() < 0.7) || random.NextDouble() < 0.03 ? (handedOff ?? lastAi ?? first) + 600_000 : (long?)null;
                var status = takeover is not null ? 3 : handedOff is not null ? 2 : answered && !cameBack ? 1 : 0;
                var trigger = handedOff is null ? "NULL" : $"'{Triggers[random.Next(Triggers.Length)]}'";
                var reason = handedOff is null ? "NULL" : $"'Handoff reason number {random.Next(40)}'";
                var activity = new[] { first, lastCustomer, lastAi ?? 0, handedOff ?? 0, takeover ?? 0 }.Max();
                return $"({Uuid(provider, sessionIds[i])},{org},'{threads[i]}',{Time(provider, first)},{(handedOff is null ? 0 : 1)},{Bool(takeover is not null)},FALSE,'{{}}','{{}}'," +
                    $"'{Channels[random.Next(Channels.Length)]}','en',{status},{first},{lastCustomer},{(cameBack ? 2 : 1)},{Num(firstAi)},{Num(lastAi)},{replies}," +
                    $"{Num(handedOff)},{trigger},{reason},{Num(takeover)},{activity})";
            });

        await InsertAsync(connection, "InboxEvents",
            "\"OrganizationId\",\"BatchId\",\"ReceivedAt\",\"EventId\",\"SubscriptionType\",\"ObjectId\",\"MessageId\",\"OccurredAt\",\"AttemptNumber\",\"Payload\",\"DedupKey\",\"OrderingKey\"," +
            "\"Status\",\"Fate\",\"Reason\",\"SkipCode\",\"ProcessingAttempts\",\"CompletedAt\",\"ThreadId\",\"SessionId\"",
            eventCount, i =>
            {
                var s = random.Next(sessionCount);
                var at = start + (long)(random.NextDouble() * 90 * DayMs);
                var roll = random.NextDouble();
                var (fate, code, reason) = roll < 0.5 ? (1, "NULL", "'Replied on the thread as the AI user.'")
                    : roll < 0.85 ? (2, $"'{SkipCodeMix[random.Next(SkipCodeMix.Length)]}'", "'Skipped (bench).'")
                    : roll < 0.95 ? (4, "NULL", "'Not acted on.'")
                    : (3, "NULL", "'Duplicate of an earlier event.'");
                var key = $"{threads[s]}-m{i}";
                return $"({org},{Uuid(provider, organizationId)},{Time(provider, at)},'{10_000_000 + i}','conversation.newMessage','{threads[s]}','m{i}',{at},0,'{{}}','{key}','{threads[s]}'," +
                    $"1,{fate},{reason},{code},1,{Time(provider, at)},'{threads[s]}',{Uuid(provider, sessionIds[s])})";
            });

        var draftStates = new[] { 2, 2, 2, 3, 3, 4, 5, 0, 6 };
        await InsertAsync(connection, "AnswerDrafts",
            "\"OrganizationId\",\"SessionId\",\"ThreadId\",\"ForMessageId\",\"Text\",\"Confidence\",\"Decision\",\"State\",\"CreatedAt\",\"Edited\"",
            sessionCount / 20, i =>
            {
                var s = random.Next(sessionCount);
                var state = draftStates[random.Next(draftStates.Length)];
                return $"({org},{Uuid(provider, sessionIds[s])},'{threads[s]}','d{i}','A drafted answer.',0.5,'bench',{state},{Time(provider, end)},{Bool(state == 3)})";
            });

        await using var analyze = connection.CreateCommand();
        // What a running database has (SQLite's PRAGMA optimize, PostgreSQL's autovacuum): statistics for the planner.
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task InsertAsync(DbConnection connection, string table, string columns, int count, Func<int, string> row)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var sql = new StringBuilder();
        for (var first = 0; first < count; first += RowsPerInsert)
        {
            sql.Clear().Append(CultureInfo.InvariantCulture, $"INSERT INTO \"{table}\" ({columns}) VALUES ");
            for (var i = first; i < Math.Min(count, first + RowsPerInsert); i++)
            {
                sql.Append(i == first ? "" : ",").Append(row(i));
            }
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    // The providers' own storage of these types: SQLite keeps Guid and DateTimeOffset as EF Core writes them (TEXT).
    private static string Uuid(StorageProvider provider, Guid value) =>
        provider == StorageProvider.Sqlite ? $"'{value.ToString().ToUpperInvariant()}'" : $"'{value}'";

    private static string Time(StorageProvider provider, long ms)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return provider == StorageProvider.Sqlite ? $"'{at.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)}+00:00'" : $"'{at:O}'";
    }

    private static string Bool(bool value) => value ? "TRUE" : "FALSE";

    private static string Num(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "NULL";
}
