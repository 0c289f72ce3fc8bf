using System.Diagnostics;
using System.Globalization;
using Deskbridge.Agent;
using Deskbridge.ConversationsList;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Bench;

/// <summary>
/// I1: the conversations list at scale. Seeds N sessions (default 100,000) with their facts into a real SQLite file (and a
/// second organization's 10,000 beside them, so the organization filter counts), then times the list's first page and a
/// deep page (a cursor 90 % of the way down), with and without filters, through the same service the API and the page use.
/// </summary>
public static class ConversationsBench
{
    private const int PageSize = ConversationFilter.DefaultLimit;
    private const int Runs = 15;
    private static readonly string[] Channels = ["chat", "chat", "chat", "email", "email", "whatsapp"];
    private static readonly string[] Languages = ["en", "en", "en", "de", "fr", "es"];

    public static async Task RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "deskbridge-bench", Guid.NewGuid().ToString("N"))).FullName;
        var app = DeskbridgeApp.Build(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = data, ["Storage:Synchronous"] = "Normal", ["Demo:Enabled"] = "false", ["Processing:Enabled"] = "false",
            ["Retention:Enabled"] = "false", ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.MigrateDatabaseAsync();
        var organization = Guid.NewGuid();
        var seeding = Stopwatch.StartNew();
        await SeedAsync(app.Services, organization, total);
        await SeedAsync(app.Services, Guid.NewGuid(), total / 10);
        Console.WriteLine($"conversations: seeded {total:N0} sessions (+{total / 10:N0} of another organization) in {seeding.Elapsed.TotalSeconds:0.0} s, " +
            $"file {new FileInfo(Path.Combine(data, "deskbridge.db")).Length / 1024.0 / 1024.0:0.0} MB; {Runs} runs each, page size {PageSize}");

        var cases = new (string Name, ConversationQuery Query, int DeepAt)[]
        {
            ("no filter", new(), total * 9 / 10),
            ("status=HandedOff", new(Status: "HandedOff"), total * 9 / 10 / 5),
            ("channel=email, language=de", new(Channel: "email", Language: "de"), total / 40),
            ("started in one month", new(From: "2026-03-01", To: "2026-04-01"), total / 8),
            ("trigger=LowConfidence", new(Trigger: "LowConfidence"), total / 20),
            ("customer prefix (1 match)", new(Customer: $"customer{total / 2}@"), 0),
            ("customer prefix (domain, ~200 matches)", new(Customer: "customer1"), 0),
            ("text search (subject)", new(Q: "order 4711"), 0),
        };
        Console.WriteLine($"{"filter",-40} {"rows",5} {"first p50",10} {"first max",10} {"deep p50",10} {"deep max",10} {"deep at",8}");
        foreach (var (name, query, deepAt) in cases)
        {
            var (filter, problems) = ConversationFilter.Parse(query);
            if (filter is null)
            {
                throw new InvalidOperationException($"{name}: {string.Join("; ", problems.SelectMany(p => p.Value))}");
            }
            var (firstRows, first) = await TimeAsync(app.Services, organization, filter);
            var deep = "-";
            var deepMax = "-";
            var at = "-";
            if (deepAt > 0 && await CursorAtAsync(app.Services, organization, filter, deepAt) is { } cursor)
            {
                var (_, times) = await TimeAsync(app.Services, organization, filter with { Cursor = cursor });
                (deep, deepMax, at) = (Ms(Percentile(times, 0.5)), Ms(times.Max()), deepAt.ToString("N0", CultureInfo.InvariantCulture));
            }
            Console.WriteLine($"{name,-40} {firstRows,5} {Ms(Percentile(first, 0.5)),10} {Ms(first.Max()),10} {deep,10} {deepMax,10} {at,8}");
        }
        await app.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }

    private static async Task<(int Rows, List<double> Times)> TimeAsync(IServiceProvider services, Guid organization, ConversationFilter filter)
    {
        var times = new List<double>();
        var rows = 0;
        for (var run = 0; run < Runs + 2; run++)
        {
            await using var scope = services.CreateAsyncScope();
            var list = scope.ServiceProvider.GetRequiredService<ConversationList>();
            var started = Stopwatch.GetTimestamp();
            var page = await list.ListAsync(organization, filter, CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            rows = page.Rows.Count;
            // The first two warm the connection pool and EF's query cache.
            if (run >= 2)
            {
                times.Add(elapsed);
            }
        }
        return (rows, times);
    }

    /// <summary>The cursor a person reaches after paging down to row <paramref name="position"/>, found by paging (100 a page).</summary>
    private static async Task<ConversationCursor?> CursorAtAsync(IServiceProvider services, Guid organization, ConversationFilter filter, int position)
    {
        await using var scope = services.CreateAsyncScope();
        var list = scope.ServiceProvider.GetRequiredService<ConversationList>();
        ConversationCursor? cursor = null;
        var page = await list.ListAsync(organization, filter with { Limit = ConversationFilter.MaxLimit }, CancellationToken.None);
        for (var seen = page.Rows.Count; seen < position && page.Next is not null; seen += page.Rows.Count)
        {
            cursor = page.Next;
            page = await list.ListAsync(organization, filter with { Cursor = cursor, Limit = ConversationFilter.MaxLimit }, CancellationToken.None);
        }
        return page.Next ?? cursor;
    }

    private static async Task SeedAsync(IServiceProvider services, Guid organization, int total)
    {
        var random = new Random(42);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var span = (long)TimeSpan.FromDays(180).TotalMilliseconds;
        const int batch = 5_000;
        for (var from = 0; from < total; from += batch)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = from; i < Math.Min(total, from + batch); i++)
            {
                var first = start + (long)(random.NextDouble() * span);
                var status = (ConversationStatus)random.Next(0, 5);
                var handedOff = status is ConversationStatus.HandedOff or ConversationStatus.WithHuman && random.Next(3) > 0;
                var replies = status == ConversationStatus.AnsweredByAi ? random.Next(1, 4) : 0;
                var last = first + random.Next(0, 2 * 24 * 3600 * 1000);
                db.Sessions.Add(new Session
                {
                    OrganizationId = organization,
                    ThreadId = (1_000_000 + i).ToString(CultureInfo.InvariantCulture),
                    CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(first),
                    ContactId = (50_000 + i).ToString(CultureInfo.InvariantCulture),
                    CustomerEmail = $"customer{i}@shop{i % 500}.example",
                    Subject = random.Next(1000) == 0 ? "Where is my order 4711?" : $"Question {i}",
                    ChannelId = "1000",
                    Channel = Channels[random.Next(Channels.Length)],
                    Language = Languages[random.Next(Languages.Length)],
                    Status = status,
                    State = handedOff ? SessionState.HandedOff : SessionState.Active,
                    HandoffReason = handedOff ? "No knowledge-base article matched the question well enough." : null,
                    FirstCustomerMessageAt = first,
                    LastCustomerMessageAt = first,
                    CustomerMessages = random.Next(1, 5),
                    AiReplies = replies,
                    FirstAiReplyAt = replies > 0 ? first + 2_000 : null,
                    LastAiReplyAt = replies > 0 ? last : null,
                    HandedOffAt = handedOff ? first + 3_000 : null,
                    HandoffTrigger = handedOff ? (random.Next(2) == 0 ? nameof(HandoffTrigger.LowConfidence) : nameof(HandoffTrigger.CustomerAskedForHuman)) : null,
                    HumanTakeoverAt = status == ConversationStatus.WithHuman ? last : null,
                    LastActivityAt = last,
                });
            }
            await db.SaveChangesAsync();
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
    }

    private static string Ms(double ms) => $"{ms:0.0} ms";
}
