using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Deskbridge.HubSpotSandbox;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.HubSpotSandbox.Portals;
using Deskbridge.HubSpotSandbox.RequestLog;
using Deskbridge.HubSpotSandbox.Simulation;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Bench;

/// <summary>
/// P4: a burst of customer messages over many portals against HubSpot's per-portal limits. The sandbox (in process, real
/// HTTP) serves one portal per organization, each with its own 10-second window; a real Deskbridge is connected to each
/// through its admin API, as a user would, and every portal routes new threads to its AI user. The burst is written
/// through the sandbox's simulations at once; the run ends when every webhook event Deskbridge received has a fate.
/// </summary>
public static class BurstLoad
{
    private const string OperatorKey = "bench-operator-key";

    /// <summary>HubSpot's private-app limit on Free and Starter accounts; Deskbridge budgets 90 of them (HubSpot:RequestsPer10Seconds).</summary>
    private const int SandboxPer10Seconds = 100;

    public static async Task RunAsync(string[] args)
    {
        var portalCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var messages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3000;
        var budget = 90; // Deskbridge's default HubSpot:RequestsPer10Seconds, the rate it allows itself per portal

        await using var sandbox = await HubSpotSandboxServer.StartAsync(new SandboxOptions
        {
            WebhookMaxConcurrentRequests = 10,
            WebhookRetryWindow = TimeSpan.FromMinutes(2),
        });
        using var sandboxHttp = new HttpClient { BaseAddress = sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var admin = new SandboxAdminClient(sandboxHttp);

        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "deskbridge-bench", "burst-" + Guid.NewGuid().ToString("N"))).FullName;

        // Each organization gets the demo shop's knowledge base (its folder is the organization's slug), so the embedded
        // agent answers the customers' question rather than handing every thread off.
        var knowledge = Directory.CreateDirectory(Path.Combine(data, "knowledge")).FullName;
        var demoKnowledge = Path.Combine(AppContext.BaseDirectory, "knowledge", "demo");
        for (var i = 0; i < portalCount; i++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(knowledge, Slug(i))).FullName;
            foreach (var file in Directory.EnumerateFiles(demoKnowledge))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }
        }
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = data,
            ["Demo:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Admin:ApiKey"] = OperatorKey,
            ["HubSpot:AllowLoopbackTenantBaseUrls"] = "true",
            ["Security:ApiKeyRequestsPerMinute"] = "1000000",
            ["EmbeddedAgent:KnowledgeRoot"] = knowledge,
            // Polly logs every retried 429 as a warning; the figures below count them.
            ["Logging:LogLevel:Polly"] = "Error",
        };
        // Unset: Deskbridge's default (8 events at once across all portals). A null value would bind as 0, so the key is added only when set.
        if (Environment.GetEnvironmentVariable("BENCH_MAX_CONCURRENCY") is { } concurrency)
        {
            settings["Processing:MaxConcurrency"] = concurrency;
        }
        var app = DeskbridgeApp.Build(["--urls", "http://127.0.0.1:0"], settings);
        await app.MigrateDatabaseAsync();
        await app.StartAsync();
        var deskbridgeBase = new Uri(Address(app));
        using var api = new HttpClient { BaseAddress = deskbridgeBase, Timeout = TimeSpan.FromSeconds(60) };
        api.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);

        Console.WriteLine($"P4 burst: {messages:N0} customer messages over {portalCount} portals, sandbox limit {SandboxPer10Seconds}/10 s per portal, " +
            $"Deskbridge budget {budget}/10 s, Processing:MaxConcurrency {Environment.GetEnvironmentVariable("BENCH_MAX_CONCURRENCY") ?? "default"}, {Environment.ProcessorCount} cores");
        var setup = Stopwatch.StartNew();
        var portals = new List<(PortalView Portal, SandboxAdminClient Admin, string OrgId)>();
        for (var i = 0; i < portalCount; i++)
        {
            var created = await api.PostAsJsonAsync("api/organizations", new { name = $"Bench shop {i + 1}", slug = Slug(i) });
            created.EnsureSuccessStatusCode();
            using var org = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            var orgId = org.RootElement.GetProperty("id").GetString()!;
            var webhookPath = new Uri(org.RootElement.GetProperty("webhookUrl").GetString()!).AbsolutePath;

            // The portal routes its inbox to its AI user and sends its webhooks (the demo subscriptions) to the organization's URL.
            var portal = await admin.CreatePortalAsync(new PortalCreate(
                WebhookTargetUrl: new Uri(deskbridgeBase, webhookPath).ToString(),
                RateLimits: new RateLimitUpdate(SandboxPer10Seconds, null, null)));
            await admin.ForPortal(portal.PortalId).RouteInboxAsync(portal.InboxId, portal.AiUserId);

            var connect = await api.PutAsJsonAsync($"api/organizations/{orgId}/hubspot", new
            {
                accessToken = portal.AccessToken,
                defaultUserId = portal.AiUserId.ToString(CultureInfo.InvariantCulture),
                clientSecret = portal.ClientSecret,
                apiBaseUrl = sandbox.BaseAddress.ToString(),
            });
            if (!connect.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"connect {orgId} failed: {await connect.Content.ReadAsStringAsync()}");
            }
            portals.Add((portal, admin.ForPortal(portal.PortalId), orgId));
        }
        Console.WriteLine($"setup: {portalCount} organizations connected in {setup.Elapsed.TotalSeconds:0.0} s");

        var startSequences = new Dictionary<long, long>();
        foreach (var (portal, portalAdmin, _) in portals)
        {
            startSequences[portal.PortalId] = (await portalAdmin.RequestsSinceAsync()).LastSequence;
        }

        // The burst: every message at once (a few writers in parallel), spread round-robin over the portals.
        var clock = Stopwatch.StartNew();
        var next = -1;
        var writers = Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var n = Interlocked.Increment(ref next); n < messages; n = Interlocked.Increment(ref next))
            {
                var target = portals[n % portals.Count];
                await target.Admin.CustomerWritesAsync(new CustomerMessageRequest("chat", null, $"customer-{n}@example.com", $"Customer {n}",
                    "How long does shipping take?", null, null, null, null));
            }
        });
        await Task.WhenAll(writers);
        var emitted = clock.Elapsed;
        Console.WriteLine($"burst emitted in {emitted.TotalSeconds:0.0} s");

        // Drained: every customer message has its event with a final fate, and nothing is left pending. A webhook batch
        // that timed out is retried by the sandbox as HubSpot would (window shrunk to 2 minutes for the run); its events
        // are then duplicates, so the wait is for the messages, not for the sandbox's retry queue to empty.
        int pendingEvents, answeredMessages;
        do
        {
            await Task.Delay(500);
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
            pendingEvents = await db.InboxEvents.CountAsync(e => e.Status == EventStatus.Pending);
            answeredMessages = await db.InboxEvents
                .Where(e => e.Status == EventStatus.Done && e.SubscriptionType == "conversation.newMessage" && e.Fate != EventFate.Duplicate)
                .Select(e => e.MessageId).Distinct().CountAsync();
        }
        while ((pendingEvents > 0 || answeredMessages < messages) && clock.Elapsed < TimeSpan.FromMinutes(10));
        var drain = clock.Elapsed;

        // HubSpot's side: every call each portal answered during the burst, by status and by 10-second window.
        var calls = new List<(long Portal, IReadOnlyList<LoggedRequest> Requests)>();
        foreach (var (portal, portalAdmin, _) in portals)
        {
            var all = (await portalAdmin.RequestsSinceAsync(startSequences[portal.PortalId])).Results;
            calls.Add((portal.PortalId, all));
        }
        var callsPerPortal = calls.Select(c => c.Requests.Count).ToList();
        var sandbox429 = calls.Sum(c => c.Requests.Count(r => r.Status == 429));
        var maxCalls = callsPerPortal.Max();
        var minimumSeconds = maxCalls / (budget / 10.0);
        // A burst may spend the first window's budget at once; only the calls beyond it wait for the window to roll.
        var burstMinimumSeconds = Math.Max(0, maxCalls - budget) / (budget / 10.0);

        // Share of the limit used: calls per full 10-second window of each portal's busy span ÷ the budget.
        var shares = new List<double>();
        foreach (var (_, requests) in calls)
        {
            var times = requests.Select(r => DateTimeOffset.Parse(r.Time, CultureInfo.InvariantCulture)).Order().ToList();
            if (times.Count == 0)
            {
                continue;
            }
            for (var start = times[0]; start + TimeSpan.FromSeconds(10) <= times[^1]; start += TimeSpan.FromSeconds(10))
            {
                var end = start + TimeSpan.FromSeconds(10);
                shares.Add(times.Count(t => t >= start && t < end) / (double)budget);
            }
        }

        int deliveries = 0, failedDeliveries = 0;
        foreach (var (_, portalAdmin, _) in portals)
        {
            var log = (await portalAdmin.DeliveriesAsync()).Results;
            deliveries += log.Count;
            failedDeliveries += log.Count(d => !d.Succeeded);
        }

        // How one portal's calls spread over time (per 10-s window from the burst's start), to see what paces the drain.
        var busiest = calls.MaxBy(c => c.Requests.Count);
        var burstStart = DateTimeOffset.UtcNow - clock.Elapsed;
        var perWindow = busiest.Requests
            .GroupBy(r => (int)((DateTimeOffset.Parse(r.Time, CultureInfo.InvariantCulture) - burstStart).TotalSeconds / 10))
            .OrderBy(g => g.Key).Select(g => $"{g.Key * 10}s:{g.Count()}");

        // Deskbridge's side: fates, and failures that came from HubSpot's 429s.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
            var fates = await db.InboxEvents.GroupBy(e => e.Fate).Select(g => new { Fate = g.Key, Count = g.Count() }).ToListAsync();
            var failed = await db.InboxEvents.Where(e => e.Fate == EventFate.Failed).Select(e => e.Reason ?? e.LastError ?? "").ToListAsync();
            var failed429 = failed.Count(r => r.Contains("429", StringComparison.Ordinal) || r.Contains("rate limit", StringComparison.OrdinalIgnoreCase));
            var retried = await db.InboxEvents.CountAsync(e => e.ProcessingAttempts > 1);

            // Answers: the AI's posts on the sandbox's threads (replies and handoff notes), once each.
            int replies = 0, notes = 0, duplicates = 0, threads = 0;
            foreach (var (portal, portalAdmin, _) in portals)
            {
                foreach (var thread in await portalAdmin.ThreadsAsync())
                {
                    threads++;
                    var ai = thread["messages"]!.AsArray()
                        .Where(m => (string?)m!["createdBy"] == $"A-{portal.AiUserId}" && (string?)m["type"] is "MESSAGE" or "COMMENT")
                        .ToList();
                    replies += ai.Count(m => (string?)m!["type"] == "MESSAGE");
                    notes += ai.Count(m => (string?)m!["type"] == "COMMENT");
                    duplicates += Math.Max(0, ai.Count - 1);
                }
            }

            Console.WriteLine();
            Console.WriteLine("| figure | value |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine($"| customer messages (threads) | {messages:N0} ({threads:N0}) over {portalCount} portals |");
            Console.WriteLine($"| time to drain (from the first message to the last fate) | {drain.TotalSeconds:0.0} s |");
            Console.WriteLine($"| HubSpot calls during the burst | {callsPerPortal.Sum():N0} (per portal {callsPerPortal.Min()}–{maxCalls}) |");
            Console.WriteLine($"| minimum the limits allow (busiest portal's calls ÷ {budget}/10 s) | {minimumSeconds:0.0} s |");
            Console.WriteLine($"| ratio drain ÷ minimum | {drain.TotalSeconds / minimumSeconds:0.00} |");
            Console.WriteLine($"| minimum when the first window's {budget} calls go at once, ratio | {burstMinimumSeconds:0.0} s, {drain.TotalSeconds / Math.Max(0.001, burstMinimumSeconds):0.00} |");
            Console.WriteLine($"| share of the limit ({budget}/10 s) used per full 10-s window (mean, median, min) | {Mean(shares):P0}, {Median(shares):P0}, {(shares.Count == 0 ? 0 : shares.Min()):P0} over {shares.Count} windows |");
            Console.WriteLine($"| the same against the sandbox's own limit ({SandboxPer10Seconds}/10 s), mean | {Mean(shares) * budget / SandboxPer10Seconds:P0} |");
            Console.WriteLine($"| 429s the sandbox sent | {sandbox429} |");
            Console.WriteLine($"| webhook deliveries (batches), failed attempts the sandbox retried | {deliveries}, {failedDeliveries} |");
            Console.WriteLine($"| events failed because of a 429 (reached the processor as failures) | {failed429} |");
            Console.WriteLine($"| events with more than one processing attempt | {retried} |");
            Console.WriteLine($"| fates | {string.Join(", ", fates.OrderBy(f => f.Fate).Select(f => $"{f.Fate?.ToString() ?? "none"} {f.Count}"))} |");
            Console.WriteLine($"| AI replies posted, handoff notes, duplicates | {replies:N0}, {notes:N0}, {duplicates} |");
            Console.WriteLine($"portal {busiest.Portal}: calls per 10-s window from the burst's start: {string.Join(" ", perWindow)}");
            if (failed.Count > 0)
            {
                Console.WriteLine($"failed reasons: {string.Join("; ", failed.GroupBy(r => r).Select(g => $"{g.Count()}× {g.Key}").Take(5))}");
            }
        }

        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static string Slug(int index) => $"bench-{(index + 1).ToString(CultureInfo.InvariantCulture)}";

    private static double Mean(List<double> values) => values.Count == 0 ? 0 : values.Average();

    private static double Median(List<double> values) => values.Count == 0 ? 0 : values.Order().ElementAt(values.Count / 2);

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
}
