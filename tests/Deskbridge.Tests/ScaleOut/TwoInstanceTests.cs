using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.Testing;
using Deskbridge.Tests.Reliability;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Deskbridge.Tests.ScaleOut;

/// <summary>
/// Several instances, one inbox: two Deskbridge processes on one database while customers keep writing (new threads
/// and follow-ups on earlier ones). The webhooks reach instance A; both process. Instance B is killed with SIGKILL in the
/// middle of the load, with leases of its own still held; A takes those threads over once the leases run out, and B is
/// started again. Afterwards: every published event is in the inbox with one final fate, every customer message has
/// exactly one AI reply, and no thread's events finished out of order.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class TwoInstanceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Two_instances_share_one_inbox_and_killing_one_loses_nothing_and_answers_nothing_twice(string databaseKind)
    {
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "deskbridge-scaleout", Guid.NewGuid().ToString("N"))).FullName;
        await using var database = await SharedDatabase.CreateAsync(databaseKind, work);
        output.WriteLine($"{database.Name}; logs and database in {work}");

        await using var sandbox = await ServiceProcess.StartAsync(ServiceProcess.BuiltDll("Deskbridge.HubSpotSandbox"), ServiceProcess.FreePort(), "_sandbox",
            Path.Combine(work, "sandbox.log"),
            "--Sandbox:WebhookRetryWindow=00:01:00", "--Sandbox:WebhookMaxConcurrentRequests=10", "--Logging:LogLevel:Default=Warning");
        using var sandboxHttp = new HttpClient { BaseAddress = sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var sandboxAdmin = new SandboxAdminClient(sandboxHttp);

        var dll = ServiceProcess.BuiltDll("Deskbridge");
        Task<ServiceProcess> StartAsync(string name, int port) => ServiceProcess.StartAsync(dll, port, "healthz", Path.Combine(work, $"deskbridge-{name}.log"),
            [.. database.Arguments, "--Demo:Enabled=false", "--HubSpot:AllowLoopbackTenantBaseUrls=true", $"--Admin:ApiKey={DeskbridgeTestHost.OperatorKey}",
             "--Processing:EmailDelay=00:00:01", "--Processing:RetryBaseDelay=00:00:00.200", "--Processing:LeaseDuration=00:00:03",
             // Follow-ups must each get their reply here; burst merging (G3) has tests of its own.
             "--Processing:ChatBurstWindow=00:00:00",
             "--Processing:MaxConcurrency=4", "--Logging:LogLevel:Default=Warning"]);
        var a = await StartAsync("a", ServiceProcess.FreePort());
        var portB = ServiceProcess.FreePort();
        var b = await StartAsync("b", portB);
        var passed = false;
        try
        {
            using var api = new HttpClient { BaseAddress = a.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            api.DefaultRequestHeaders.Add("X-Api-Key", DeskbridgeTestHost.OperatorKey);
            await KillNineTests.ConnectAsync(api, sandboxAdmin, a.BaseAddress);
            // Replies take HubSpot a moment, so a run is in flight (its lease held) most of the time.
            (await sandboxHttp.PostAsJsonAsync("_sandbox/faults", new
            {
                pathPattern = "/conversations/v3/conversations/threads/*/messages", method = "POST", kind = "delay", delayMilliseconds = 300,
            })).EnsureSuccessStatusCode();

            using var stopLoad = new CancellationTokenSource();
            var messages = new List<(string Thread, string Message)>();
            var load = Task.Run(async () =>
            {
                var random = new Random(12);
                while (!stopLoad.IsCancellationRequested)
                {
                    string? followUp = null;
                    lock (messages)
                    {
                        if (messages.Count > 4 && random.Next(3) == 0)
                        {
                            followUp = messages[random.Next(messages.Count - 4)].Thread;
                        }
                    }
                    var written = await KillNineTests.WriteAsync(sandboxAdmin, followUp);
                    lock (messages)
                    {
                        messages.Add(written);
                    }
                    await Task.Delay(TimeSpan.FromMilliseconds(150));
                }
            });

            await Task.Delay(TimeSpan.FromSeconds(5));
            // Kill B while it holds a thread: that thread is A's to finish, once B's lease has run out.
            var ofB = $":{b.ProcessId}:";
            var heldByB = await Eventually.UntilAsync(database.LiveLeaseOwnersAsync, owners => owners.Any(o => o.Contains(ofB, StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10), "instance B to hold a thread");
            await b.KillAsync();
            output.WriteLine($"B killed holding {heldByB.Count(o => o.Contains(ofB, StringComparison.Ordinal))} of {heldByB.Count} live leases");
            var down = Stopwatch.StartNew();
            await b.DisposeAsync();
            await Task.Delay(TimeSpan.FromSeconds(4)); // beyond the lease: A must have taken B's threads over meanwhile
            b = await StartAsync("b", portB);
            output.WriteLine($"B was down {down.Elapsed.TotalSeconds:0.0} s");
            await Task.Delay(TimeSpan.FromSeconds(3));
            await stopLoad.CancelAsync();
            await load;

            var expected = messages.GroupBy(m => m.Thread).ToDictionary(g => g.Key, g => g.Count());
            var threads = expected.Keys.Select(t => (t, "")).ToList();
            await Eventually.UntilAsync(() => KillNineTests.AiRepliesAsync(sandboxAdmin, threads), r => r.All(p => p.Value >= expected[p.Key]),
                TimeSpan.FromSeconds(45), "an AI reply to every customer message");
            var published = await KillNineTests.PublishedAsync(sandboxAdmin);
            await Eventually.UntilAsync(database.InboxAsync, rows => rows.Count > 0 && rows.All(r => r.Status == 1) &&
                published.All(p => rows.Any(r => r.DedupKey == p)), TimeSpan.FromSeconds(30), "every published event settled in the inbox");
            await Task.Delay(TimeSpan.FromSeconds(2)); // a late second reply would show up here
            var replies = await KillNineTests.AiRepliesAsync(sandboxAdmin, threads);
            await a.KillAsync();
            await b.KillAsync();
            var inbox = await database.InboxAsync();

            var byKey = inbox.GroupBy(r => r.DedupKey).ToList();
            output.WriteLine($"{expected.Count} threads, {messages.Count} customer messages, {published.Count} events published, {inbox.Count} inbox rows " +
                $"({inbox.Count(r => r.Fate == 3)} duplicates from retries)");
            Assert.True(messages.Count >= 30, $"only {messages.Count} messages were written");
            Assert.All(replies, r => Assert.True(r.Value == expected[r.Key], $"thread {r.Key}: {r.Value} AI replies to {expected[r.Key]} customer messages"));
            Assert.All(published, key => Assert.Contains(key, byKey.Select(g => g.Key)));
            Assert.All(byKey, g => Assert.True(g.Count(r => r.Fate != 3) == 1 && g.All(r => r.Status == 1 && r.Fate is not null),
                $"dedup key {g.Key}: {string.Join(", ", g.Select(r => $"#{r.Id} status {r.Status} fate {r.Fate}"))}"));
            AssertThreadOrderKept(inbox);
            // Nobody ran a thread beside its lease holder: a live instance never has its lease taken.
            foreach (var log in Directory.GetFiles(work, "deskbridge-*.log"))
            {
                Assert.DoesNotContain("lost the lease", await File.ReadAllTextAsync(log), StringComparison.Ordinal);
            }
            passed = true;
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            if (passed)
            {
                SqliteConnection.ClearAllPools();
                await sandbox.DisposeAsync();
                Directory.Delete(work, recursive: true); // kept when the test fails, for its logs and database
            }
        }
    }

    /// <summary>
    /// Of two events of one thread, the one that happened first and was in the inbox first must not finish after the other:
    /// it was the thread's head the whole time the other waited. (An event that arrives late, after a later one already
    /// ran, is not a broken order: it was not there to go first.)
    /// </summary>
    private static void AssertThreadOrderKept(List<InboxRow> inbox)
    {
        foreach (var thread in inbox.Where(r => r.Fate is not (3 or 6) && r.OrderingKey.StartsWith("thread:", StringComparison.Ordinal)).GroupBy(r => r.OrderingKey))
        {
            foreach (var first in thread)
            {
                foreach (var later in thread.Where(l => l.OccurredAt > first.OccurredAt && l.ReceivedAt > first.ReceivedAt))
                {
                    Assert.True(first.CompletedAt <= later.CompletedAt,
                        $"{thread.Key}: #{later.Id} (occurred {later.OccurredAt}) finished at {later.CompletedAt:O}, before #{first.Id} (occurred {first.OccurredAt}, in the inbox first) at {first.CompletedAt:O}");
                }
            }
        }
    }
}
