using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.HubSpotSandbox.Simulation;
using Deskbridge.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Deskbridge.Tests.Reliability;

/// <summary>
/// W2 and exactly-once replies against crashes: Deskbridge runs as a real process beside the standalone sandbox
/// process, customers keep writing through the sandbox's admin API, and Deskbridge is killed with SIGKILL and started
/// again on the same database, several times. HubSpot's retries (the sandbox's, on a window shrunk to a minute) bring
/// back whatever was not acknowledged. Afterwards: every customer message has exactly one AI reply (0 lost, 0
/// duplicates), every event the sandbox published is in the inbox, and every event has one final fate.
///
/// CI runs it short (2 kills, about a minute). Long: `reliability/run.sh` or DESKBRIDGE_RELIABILITY_KILLS=50
/// (DESKBRIDGE_RELIABILITY_KILL_INTERVAL seconds between kills, default 6; DESKBRIDGE_RELIABILITY_RATE new threads per second, default 4;
/// DESKBRIDGE_RELIABILITY_SEED replays the kill timing).
/// </summary>
[Trait("Category", "Reliability")]
public sealed class KillNineTests(ITestOutputHelper output)
{
    private const string Question = "How long does standard shipping take?";
    private static readonly string AiActor = "A-71822709";

    [Fact]
    public async Task Killing_Deskbridge_during_load_loses_no_message_and_sends_no_second_reply()
    {
        var kills = Setting("DESKBRIDGE_RELIABILITY_KILLS", 2);
        var interval = TimeSpan.FromSeconds(Setting("DESKBRIDGE_RELIABILITY_KILL_INTERVAL", 6));
        var rate = Setting("DESKBRIDGE_RELIABILITY_RATE", 4);
        var seed = Setting("DESKBRIDGE_RELIABILITY_SEED", Random.Shared.Next(1, int.MaxValue));
        var random = new Random(seed);
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "deskbridge-reliability", Guid.NewGuid().ToString("N"))).FullName;
        output.WriteLine($"seed {seed}, {kills} kills every ~{interval.TotalSeconds:0} s, {rate} new threads/s; logs and database in {work}");

        var sandboxPort = ServiceProcess.FreePort();
        await using var sandbox = await ServiceProcess.StartAsync(ServiceProcess.BuiltDll("Deskbridge.HubSpotSandbox"), sandboxPort, "_sandbox",
            Path.Combine(work, "sandbox.log"),
            "--Sandbox:WebhookRetryWindow=00:01:00", "--Sandbox:WebhookMaxConcurrentRequests=10", "--Logging:LogLevel:Default=Warning");
        using var sandboxHttp = new HttpClient { BaseAddress = sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var sandboxAdmin = new SandboxAdminClient(sandboxHttp);

        var deskbridgePort = ServiceProcess.FreePort();
        var dll = ServiceProcess.BuiltDll("Deskbridge");
        var data = Path.Combine(work, "data");
        Task<ServiceProcess> StartDeskbridgeAsync() => ServiceProcess.StartAsync(dll, deskbridgePort, "healthz", Path.Combine(work, "deskbridge.log"),
            $"--Storage:DataDirectory={data}", "--Demo:Enabled=false", "--HubSpot:AllowLoopbackTenantBaseUrls=true", $"--Admin:ApiKey={DeskbridgeTestHost.OperatorKey}",
            "--Processing:EmailDelay=00:00:01", "--Processing:RetryBaseDelay=00:00:00.200", "--Logging:LogLevel:Default=Warning",
            // One reply per message is what is counted; burst merging (G3) has tests of its own.
            "--Processing:ChatBurstWindow=00:00:00");
        var deskbridge = await StartDeskbridgeAsync();
        var passed = false;
        try
        {
            using var api = new HttpClient { BaseAddress = deskbridge.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            api.DefaultRequestHeaders.Add("X-Api-Key", DeskbridgeTestHost.OperatorKey);
            await ConnectAsync(api, sandboxAdmin, deskbridge.BaseAddress);

            // Customers write at a steady rate while Deskbridge is killed and restarted.
            using var stopLoad = new CancellationTokenSource();
            var threads = new List<(string Thread, string Message)>();
            var load = Task.Run(async () =>
            {
                while (!stopLoad.IsCancellationRequested)
                {
                    var written = await WriteAsync(sandboxAdmin);
                    lock (threads)
                    {
                        threads.Add(written);
                    }
                    await Task.Delay(TimeSpan.FromSeconds(1.0 / rate));
                }
            });

            var downtime = new List<TimeSpan>();
            for (var kill = 0; kill < kills; kill++)
            {
                await Task.Delay(interval * (0.5 + random.NextDouble()));
                await deskbridge.KillAsync();
                var down = Stopwatch.StartNew();
                await deskbridge.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1500)));
                deskbridge = await StartDeskbridgeAsync();
                downtime.Add(down.Elapsed);
            }
            await Task.Delay(interval / 2);
            await stopLoad.CancelAsync();
            await load;

            // Settle: every thread answered (HubSpot's retries may take a while to bring the last batches back).
            var replies = await Eventually.UntilAsync(() => AiRepliesAsync(sandboxAdmin, threads), r => r.Values.All(n => n >= 1),
                TimeSpan.FromSeconds(75), "an AI reply on every thread");
            var published = await PublishedAsync(sandboxAdmin);
            await Eventually.UntilAsync(() => InboxAsync(data), rows => rows.Count > 0 && rows.All(r => r.Status == 1) &&
                published.All(p => rows.Any(r => r.DedupKey == p)), TimeSpan.FromSeconds(30), "every published event settled in the inbox");
            await Task.Delay(TimeSpan.FromSeconds(2)); // a late second reply would show up here
            replies = await AiRepliesAsync(sandboxAdmin, threads);
            await deskbridge.KillAsync();
            var inbox = await InboxAsync(data);

            var deliveries = (await sandboxAdmin.DeliveriesAsync()).Results;
            var refused = deliveries.Count(d => !d.Succeeded);
            var byKey = inbox.GroupBy(r => r.DedupKey).ToList();
            var duplicateRows = inbox.Count(r => r.Fate == 3);
            output.WriteLine($"{threads.Count} threads, {published.Count} events published, {inbox.Count} inbox rows ({duplicateRows} duplicates from retries), " +
                $"{deliveries.Count} deliveries ({refused} failed while Deskbridge was down or dying, retried by the sandbox), {kills} kills, downtime {string.Join(", ", downtime.Select(d => $"{d.TotalSeconds:0.0} s"))}; " +
                $"AI replies per thread: {string.Join(", ", replies.Values.GroupBy(n => n).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}");

            Assert.True(threads.Count >= 10, $"only {threads.Count} threads were written");
            Assert.True(kills == 0 || refused > 0, "no delivery failed: the kills missed the load");
            Assert.All(replies, r => Assert.True(r.Value == 1, $"thread {r.Key} has {r.Value} AI replies"));
            Assert.All(published, key => Assert.Contains(key, byKey.Select(g => g.Key)));
            Assert.All(byKey, g => Assert.True(g.Count(r => r.Fate != 3) == 1 && g.All(r => r.Status == 1 && r.Fate is not null),
                $"dedup key {g.Key}: {string.Join(", ", g.Select(r => $"#{r.Id} status {r.Status} fate {r.Fate}"))}"));
            passed = true;
        }
        finally
        {
            await deskbridge.DisposeAsync();
            if (passed)
            {
                SqliteConnection.ClearAllPools();
                await sandbox.DisposeAsync();
                Directory.Delete(work, recursive: true); // kept when the test fails, for its logs and database
            }
        }
    }

    internal static async Task<DeskbridgeApi.Organization> ConnectAsync(HttpClient api, SandboxAdminClient sandbox, Uri deskbridge)
    {
        var created = await api.PostAsJsonAsync("api/organizations", new { name = "Demo Shop", slug = "demo" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var organization = (await created.Content.ReadFromJsonAsync<DeskbridgeApi.Organization>(DeskbridgeTestHost.Json))!;
        var info = await sandbox.InfoAsync();
        var connected = await api.PutAsJsonAsync($"api/organizations/{organization.Id}/hubspot", new
        {
            accessToken = "pat-na1-00000000-0000-4000-8000-000000000001",
            defaultUserId = "71822709",
            clientSecret = "sandbox-client-secret-0000-demo",
            apiBaseUrl = sandbox.Http.BaseAddress!.ToString(),
        });
        Assert.True(connected.IsSuccessStatusCode, $"{await connected.Content.ReadAsStringAsync()} (sandbox portal {info.PortalId}, AI user {info.AiUserId})");
        var target = new Uri(deskbridge, new Uri(organization.WebhookUrl).AbsolutePath);
        await sandbox.SetWebhookSettingsAsync(target.OriginalString, maxConcurrentRequests: 10);
        foreach (var eventType in new[] { "conversation.creation", "conversation.newMessage" })
        {
            await sandbox.SubscribeAsync(eventType);
        }
        return organization;
    }

    internal static async Task<(string Thread, string Message)> WriteAsync(SandboxAdminClient sandbox, string? threadId = null)
    {
        var written = await sandbox.CustomerWritesAsync(new CustomerMessageRequest("chat", ThreadId: threadId, $"customer-{Guid.NewGuid():N}@example.com",
            "Casey Customer", Question, RichText: null, Subject: null, AssigneeUserId: null, Unassigned: null));
        return (written.ThreadId, written.MessageId);
    }

    internal static async Task<Dictionary<string, int>> AiRepliesAsync(SandboxAdminClient sandbox, List<(string Thread, string Message)> threads)
    {
        var counts = new Dictionary<string, int>();
        foreach (var (thread, _) in threads)
        {
            var messages = await sandbox.MessagesAsync(thread);
            counts[thread] = messages.Count(m => (string?)m["type"] == "MESSAGE" && (string?)m["senders"]?[0]?["actorId"] == AiActor);
        }
        return counts;
    }

    /// <summary>The dedup key (W5) of every event the sandbox published to a subscription: what Deskbridge must hold.</summary>
    internal static async Task<HashSet<string>> PublishedAsync(SandboxAdminClient sandbox) =>
        (await sandbox.PublishedEventsAsync())
            .Where(e => e.SubscriptionType is "conversation.creation" or "conversation.newMessage")
            .Select(e => $"{e.ObjectId}-{e.MessageId ?? e.EventId.ToString(CultureInfo.InvariantCulture)}").ToHashSet();

    private sealed record Row(long Id, string DedupKey, int Status, int? Fate);

    /// <summary>Read straight from the SQLite file (what survived the kills), not through the service.</summary>
    private static async Task<List<Row>> InboxAsync(string data)
    {
        var rows = new List<Row>();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "deskbridge.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, DedupKey, Status, Fate FROM InboxEvents ORDER BY Id";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetInt32(3)));
        }
        return rows;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
