using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.HubSpotSandbox.Simulation;
using Deskbridge.Testing;

namespace Deskbridge.Bench;

/// <summary>
/// P5 (resident memory under a steady load) and P6 (reply overhead: from the webhook's acknowledgement to the reply's
/// POST at the sandbox). The standalone sandbox and Deskbridge run as separate processes from their built dlls, so
/// Deskbridge's VmRSS is its own; customers write at a steady rate through the sandbox's simulation API (new chat
/// threads, and a follow-up on some threads once their first reply was posted); the embedded agent answers.
/// HubSpot's per-portal limit is lifted on both sides (sandbox and Deskbridge's budget): at 45–200 messages/s a
/// 190/10 s portal would be the bottleneck, and P6 measures Deskbridge's own overhead, not HubSpot's pacing (P4 does).
/// </summary>
public static partial class SoakLoad
{
    private const string OperatorKey = "bench-operator-key";
    private const string Question = "How long does standard shipping take?";

    /// <summary>Share of the messages that are follow-ups on a thread already answered once.</summary>
    private const double FollowUpShare = 0.2;

    [GeneratedRegex("/threads/([^/]+)/messages$")]
    private static partial Regex ThreadMessagesPath();

    public static async Task RunAsync(string[] args)
    {
        var rate = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 45;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 600;
        // A cold Deskbridge (tiered JIT, the agent's first index) falls behind for the first ~20 s at 50/s; the figures say
        // both: over every message, and over the messages acknowledged after the warm-up.
        var warmUp = TimeSpan.FromSeconds(Math.Min(60, seconds / 3.0));
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "deskbridge-bench", "soak-" + Guid.NewGuid().ToString("N"))).FullName;

        await using var sandbox = await ServiceProcess.StartAsync(ServiceProcess.BuiltDll("Deskbridge.HubSpotSandbox"), ServiceProcess.FreePort(), "_sandbox", Path.Combine(work, "sandbox.log"),
            "--Sandbox:RequestsPer10Seconds=1000000", "--Sandbox:SearchRequestsPerSecond=100000", "--Sandbox:WebhookRetryWindow=00:02:00",
            "--Logging:LogLevel:Default=Warning");
        // BENCH_MAX_CONCURRENCY sets Processing:MaxConcurrency (unset: Deskbridge's default, 8 events at once).
        var concurrency = Environment.GetEnvironmentVariable("BENCH_MAX_CONCURRENCY") is { Length: > 0 } c ? $"--Processing:MaxConcurrency={c}" : "--Processing:Enabled=true";
        // No chat burst window: every message is answered as it comes, so figures compare with the runs before the window
        // existed. BENCH_DESKBRIDGE_ARGS adds Deskbridge arguments (space-separated), e.g. --Retrieval:Mode=Lexical.
        var extra = (Environment.GetEnvironmentVariable("BENCH_DESKBRIDGE_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // BENCH_DESKBRIDGE_DLL runs another build of Deskbridge, e.g. a `dotnet publish` output (how the container runs it).
        var deskbridgeDll = Environment.GetEnvironmentVariable("BENCH_DESKBRIDGE_DLL") is { Length: > 0 } published ? published : ServiceProcess.BuiltDll("Deskbridge");
        await using var deskbridge = await ServiceProcess.StartAsync(deskbridgeDll, ServiceProcess.FreePort(), "healthz", Path.Combine(work, "deskbridge.log"),
            [concurrency, $"--Storage:DataDirectory={Path.Combine(work, "data")}", "--Demo:Enabled=false", "--HubSpot:AllowLoopbackTenantBaseUrls=true",
            $"--Admin:ApiKey={OperatorKey}", "--HubSpot:RequestsPer10Seconds=900000", "--Security:ApiKeyRequestsPerMinute=1000000",
            "--Processing:ChatBurstWindow=00:00:00", "--Logging:LogLevel:Default=Warning", .. extra]);
        using var sandboxHttp = new HttpClient { BaseAddress = sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var admin = new SandboxAdminClient(sandboxHttp);
        using var api = new HttpClient { BaseAddress = deskbridge.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        api.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        var info = await ConnectAsync(api, admin, deskbridge.BaseAddress);
        Console.WriteLine($"soak: {rate:0.#} messages/s for {seconds} s ({FollowUpShare:P0} follow-ups), warm-up {warmUp.TotalSeconds:0} s, " +
            $"{Environment.ProcessorCount} cores, Processing:MaxConcurrency {Environment.GetEnvironmentVariable("BENCH_MAX_CONCURRENCY") ?? "default (8)"}; Deskbridge pid {deskbridge.ProcessId} ({deskbridgeDll}), logs in {work}");

        var memory = new List<(TimeSpan At, double Rss, double Anon, double File, double Shmem, int Threads)>();
        var started = deskbridge.Memory();
        memory.Add((TimeSpan.Zero, started.Rss, started.Anon, started.File, started.Shmem, deskbridge.Threads()));

        // What the load wrote (message id → thread, position on the thread), what the sandbox saw (reply POSTs per thread,
        // first acknowledgement per message).
        var written = new ConcurrentDictionary<string, (string Thread, int Position)>();
        var replies = new ConcurrentDictionary<string, List<DateTimeOffset>>();
        var acked = new ConcurrentDictionary<string, DateTimeOffset>();
        var answeredOnce = new ConcurrentQueue<string>();
        var writeErrors = 0;
        var lastSequence = (await admin.RequestsSinceAsync()).LastSequence;
        var seenDeliveries = new HashSet<long>();

        async Task PollRequestsAsync()
        {
            var log = await admin.RequestsSinceAsync(lastSequence);
            lastSequence = log.LastSequence;
            foreach (var request in log.Results)
            {
                if (request.Method == "POST" && request.Status is >= 200 and < 300 && ThreadMessagesPath().Match(request.Path) is { Success: true } match)
                {
                    var times = replies.GetOrAdd(match.Groups[1].Value, _ => []);
                    lock (times)
                    {
                        times.Add(DateTimeOffset.Parse(request.Time, CultureInfo.InvariantCulture));
                        if (times.Count == 1)
                        {
                            answeredOnce.Enqueue(match.Groups[1].Value);
                        }
                    }
                }
            }
        }

        async Task PollDeliveriesAsync()
        {
            foreach (var attempt in (await admin.DeliveriesAsync()).Results)
            {
                if (!attempt.Succeeded || !seenDeliveries.Add(attempt.Id))
                {
                    continue;
                }
                var completed = DateTimeOffset.Parse(attempt.CompletedAt, CultureInfo.InvariantCulture);
                foreach (var e in attempt.Events)
                {
                    if (e.MessageId is { } id)
                    {
                        // HubSpot's retries (and the sandbox's repeated event ids) deliver a message again: the first ack counts.
                        acked.AddOrUpdate(id, completed, (_, earlier) => earlier <= completed ? earlier : completed);
                    }
                }
            }
        }

        using var stop = new CancellationTokenSource();
        var cpuBefore = (Deskbridge: deskbridge.Cpu, Sandbox: sandbox.Cpu, Bench: Process.GetCurrentProcess().TotalProcessorTime);
        var clock = Stopwatch.StartNew();
        var loadStart = DateTimeOffset.UtcNow;
        // CPU per processed message in the steady state: Deskbridge's CPU from the end of the warm-up to the end of the load,
        // over the replies the sandbox received in that span (start-up, JIT and the model's load are left out).
        (TimeSpan Cpu, DateTimeOffset At)? steadyFrom = null, steadyTo = null;
        var pollers = Task.Run(async () =>
        {
            var tick = 0;
            while (!stop.IsCancellationRequested)
            {
                if (steadyFrom is null && clock.Elapsed >= warmUp)
                {
                    steadyFrom = (deskbridge.Cpu, DateTimeOffset.UtcNow);
                }
                var m = deskbridge.Memory();
                memory.Add((clock.Elapsed, m.Rss, m.Anon, m.File, m.Shmem, deskbridge.Threads()));
                await PollRequestsAsync();
                if (tick++ % 3 == 0)
                {
                    await PollDeliveriesAsync(); // the deliveries log keeps the last 5,000 attempts: every 3 s is often enough
                }
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        });

        // The load: message n is due at n / rate; writes run concurrently (bounded) so a slow one does not lower the rate.
        using var inFlight = new SemaphoreSlim(64);
        var writes = new List<Task>();
        var random = new Random(12);
        var total = (int)(rate * seconds);
        for (var n = 0; n < total; n++)
        {
            var due = TimeSpan.FromSeconds(n / rate);
            // Read the clock once: between a check and a second read a loaded machine can pass the due time (negative delay).
            if (due - clock.Elapsed is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait);
            }
            await inFlight.WaitAsync();
            string? followUp = null;
            if (random.NextDouble() < FollowUpShare)
            {
                answeredOnce.TryDequeue(out followUp);
            }
            var email = $"customer-{n}@example.com";
            writes.Add(Task.Run(async () =>
            {
                try
                {
                    var sent = await admin.CustomerWritesAsync(new CustomerMessageRequest("chat", followUp, email, "Casey Customer", Question,
                        RichText: null, Subject: null, AssigneeUserId: null, Unassigned: null));
                    written[sent.MessageId] = (sent.ThreadId, followUp is null ? 0 : 1);
                }
                catch (Exception ex) when (ex is HttpRequestException or SandboxAdminException or TaskCanceledException)
                {
                    Interlocked.Increment(ref writeErrors);
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }
        await Task.WhenAll(writes);
        var loadTime = clock.Elapsed;
        steadyTo = (deskbridge.Cpu, DateTimeOffset.UtcNow);

        // Drain: until every written message has its reply POST (or 60 s), then the memory at the end.
        var drainDeadline = clock.Elapsed + TimeSpan.FromSeconds(60);
        while (clock.Elapsed < drainDeadline && written.Values.Any(w => ReplyAt(replies, w) is null))
        {
            await Task.Delay(1000);
        }
        var drained = clock.Elapsed;
        var cpu = (Deskbridge: deskbridge.Cpu - cpuBefore.Deskbridge, Sandbox: sandbox.Cpu - cpuBefore.Sandbox,
            Bench: Process.GetCurrentProcess().TotalProcessorTime - cpuBefore.Bench);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await pollers;
        await PollRequestsAsync();
        await PollDeliveriesAsync();
        var end = deskbridge.Memory();
        memory.Add((clock.Elapsed, end.Rss, end.Anon, end.File, end.Shmem, deskbridge.Threads()));

        // P6: per message, its reply's POST minus its webhook's acknowledgement (the n-th POST on a thread answers its n-th message:
        // a follow-up is written only after the first reply was posted).
        var overheads = new List<double>();
        var steady = new List<double>();
        var per10Seconds = new SortedDictionary<int, List<double>>();
        var noAck = 0;
        var noReply = 0;
        foreach (var (messageId, where) in written)
        {
            if (ReplyAt(replies, where) is not { } reply)
            {
                noReply++;
            }
            else if (!acked.TryGetValue(messageId, out var ack))
            {
                noAck++; // its delivery fell out of the sandbox's 5,000-attempt log before a poll read it
            }
            else
            {
                overheads.Add((reply - ack).TotalMilliseconds);
                if (ack - loadStart >= warmUp)
                {
                    steady.Add((reply - ack).TotalMilliseconds);
                }
                var window = (int)((ack - loadStart).TotalSeconds / 10) * 10;
                if (!per10Seconds.TryGetValue(window, out var inWindow))
                {
                    per10Seconds[window] = inWindow = [];
                }
                inWindow.Add((reply - ack).TotalMilliseconds);
            }
        }
        overheads.Sort();
        steady.Sort();

        var during = memory.Where(s => s.At >= warmUp && s.At <= loadTime).Select(s => s.Rss).Order().ToList();
        var afterWarmUp = memory.FirstOrDefault(s => s.At >= warmUp);
        var peak = memory.MaxBy(s => s.Rss);
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| messages written (follow-ups), write errors | {written.Count:N0} ({written.Values.Count(w => w.Position == 1):N0}), {writeErrors} |");
        Console.WriteLine($"| load time, drained at | {loadTime.TotalSeconds:0.0} s, {drained.TotalSeconds:0.0} s |");
        Console.WriteLine($"| rate achieved | {written.Count / loadTime.TotalSeconds:0.0} messages/s |");
        Console.WriteLine($"| P6 reply overhead (ack → reply POST) p50 / p90 / p99 / max | {Pct(overheads, 0.50):0.0} / {Pct(overheads, 0.90):0.0} / {Pct(overheads, 0.99):0.0} / {Pct(overheads, 1):0.0} ms over {overheads.Count:N0} messages |");
        Console.WriteLine($"| P6 the same after the warm-up ({warmUp.TotalSeconds:0} s) p50 / p90 / p99 / max | {Pct(steady, 0.50):0.0} / {Pct(steady, 0.90):0.0} / {Pct(steady, 0.99):0.0} / {Pct(steady, 1):0.0} ms over {steady.Count:N0} messages |");
        Console.WriteLine($"| messages without a reply POST, without a logged ack | {noReply}, {noAck} |");
        Console.WriteLine($"| CPU used from the first message to drained: Deskbridge, sandbox, load generator | {cpu.Deskbridge.TotalSeconds:0.0} s, {cpu.Sandbox.TotalSeconds:0.0} s, {cpu.Bench.TotalSeconds:0.0} s of {drained.TotalSeconds * Environment.ProcessorCount:0} core-seconds |");
        if (steadyFrom is { } from && steadyTo is { } to)
        {
            var repliesInSpan = replies.Values.Sum(times => { lock (times) { return times.Count(t => t >= from.At && t < to.At); } });
            Console.WriteLine($"| Deskbridge CPU per reply after the warm-up ({(to.At - from.At).TotalSeconds:0} s to the end of the load) | " +
                $"{(to.Cpu - from.Cpu).TotalMilliseconds / Math.Max(1, repliesInSpan):0.0} ms ({(to.Cpu - from.Cpu).TotalSeconds:0.0} CPU-s over {repliesInSpan:N0} replies) |");
        }
        Console.WriteLine($"| P5 VmRSS at start (connected, idle) | {started.Rss:0.0} MB (anon {started.Anon:0.0}, file {started.File:0.0}, shmem {started.Shmem:0.0}) |");
        Console.WriteLine($"| VmRSS after warm-up ({warmUp.TotalSeconds:0} s) | {afterWarmUp.Rss:0.0} MB (anon {afterWarmUp.Anon:0.0}, file {afterWarmUp.File:0.0}, shmem {afterWarmUp.Shmem:0.0}) |");
        Console.WriteLine($"| VmRSS during the load after warm-up p50 / max | {Pct(during, 0.5):0.0} / {Pct(during, 1):0.0} MB over {during.Count} samples |");
        Console.WriteLine($"| VmRSS peak (anon, file, shmem, threads) | {peak.Rss:0.0} MB at {peak.At.TotalSeconds:0} s ({peak.Anon:0.0}, {peak.File:0.0}, {peak.Shmem:0.0}, {peak.Threads}) |");
        Console.WriteLine($"| VmRSS at the end (drained) | {end.Rss:0.0} MB (anon {end.Anon:0.0}, file {end.File:0.0}, shmem {end.Shmem:0.0}), {deskbridge.Threads()} threads |");

        Console.WriteLine("VmRSS per minute (MB): " + string.Join(" ", memory.GroupBy(s => (int)s.At.TotalMinutes).Select(g => $"{g.Key}m:{g.Max(s => s.Rss):0}")));

        // What the POSTs were, read from the threads after the figures: the AI's replies (MESSAGE) and handoff notes (COMMENT).
        // Listing tens of thousands of threads can outlast the client's timeout on a loaded machine: the figures above stand.
        int aiReplies = 0, aiNotes = 0;
        var aiActor = $"A-{info.AiUserId.ToString(CultureInfo.InvariantCulture)}";
        IReadOnlyList<System.Text.Json.Nodes.JsonObject> threads;
        try
        {
            threads = await admin.ThreadsAsync();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"the sandbox's threads could not be listed ({ex.GetType().Name}): no count of the AI's posts");
            return;
        }
        foreach (var thread in threads)
        {
            foreach (var message in thread["messages"]!.AsArray())
            {
                if ((string?)message!["createdBy"] == aiActor)
                {
                    aiReplies += (string?)message["type"] == "MESSAGE" ? 1 : 0;
                    aiNotes += (string?)message["type"] == "COMMENT" ? 1 : 0;
                }
            }
        }
        Console.WriteLine($"| the AI's posts on the threads: replies, handoff notes | {aiReplies:N0}, {aiNotes:N0} |");
        Console.WriteLine("P6 p50/p99 ms per 10 s of ack time: " + string.Join(" ", per10Seconds.Select(w =>
        {
            var sorted = w.Value.Order().ToList();
            return $"{w.Key}s:{Pct(sorted, 0.5):0}/{Pct(sorted, 0.99):0}";
        })));
    }

    private static DateTimeOffset? ReplyAt(ConcurrentDictionary<string, List<DateTimeOffset>> replies, (string Thread, int Position) where)
    {
        if (!replies.TryGetValue(where.Thread, out var times))
        {
            return null;
        }
        lock (times)
        {
            return times.Count > where.Position ? times.Order().ElementAt(where.Position) : null;
        }
    }

    private static double Pct(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static async Task<SandboxInfo> ConnectAsync(HttpClient api, SandboxAdminClient sandbox, Uri deskbridge)
    {
        // Slug "demo": the embedded agent's demo knowledge base (knowledge/demo) answers the shipping question.
        var created = await api.PostAsJsonAsync("api/organizations", new { name = "Soak Shop", slug = "demo" });
        created.EnsureSuccessStatusCode();
        using var org = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var orgId = org.RootElement.GetProperty("id").GetString()!;
        var webhookPath = new Uri(org.RootElement.GetProperty("webhookUrl").GetString()!).AbsolutePath;
        var info = await sandbox.InfoAsync();
        var connected = await api.PutAsJsonAsync($"api/organizations/{orgId}/hubspot", new
        {
            accessToken = info.DemoToken,
            defaultUserId = info.AiUserId.ToString(CultureInfo.InvariantCulture),
            clientSecret = "sandbox-client-secret-0000-demo",
            apiBaseUrl = sandbox.Http.BaseAddress!.ToString(),
        });
        if (!connected.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"connect failed: {await connected.Content.ReadAsStringAsync()}");
        }
        await sandbox.SetWebhookSettingsAsync(new Uri(deskbridge, webhookPath).ToString(), maxConcurrentRequests: 10);
        foreach (var eventType in new[] { "conversation.creation", "conversation.newMessage" })
        {
            await sandbox.SubscribeAsync(eventType);
        }
        foreach (var inbox in info.Inboxes)
        {
            await sandbox.RouteInboxAsync(inbox.Id, info.AiUserId); // new threads are the AI user's, so they are answered
        }
        return info;
    }
}
