using Deskbridge.Analytics;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Deskbridge.Testing.AnalyticsHistory;

namespace Deskbridge.Tests.Analytics;

/// <summary>I2: the figures against a seeded history whose right answers are known, on a real SQLite file and a real PostgreSQL.</summary>
public sealed class AnalyticsFiguresTests
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    public const string Period = "from=2026-03-01&to=2026-03-08";

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Figures_match_a_seeded_history_whose_answers_are_known(StorageProvider provider)
    {
        await using var world = await SeededWorld.StartAsync(provider);

        var all = await world.ReportAsync(Period);

        Assert.Equal((Start, Start.AddDays(7), "all"), (all.From, all.To, all.Channel));
        // Handled: 1, 2, 3, 4, 5, 6, 7, 10, 13 — not the one starting exactly at to, one ms before from, another organization's, none without a customer message.
        Assert.Equal(new ConversationFigures(Handled: 9, AnsweredByAi: 5, HandedOff: 3, HumanTakeovers: 2, HumanTakeoverRate: 2.0 / 9), all.Conversations);
        // Resolved: 1 and 13; 7's window is still open (not yet known), so the rate is 2 of the 8 known.
        Assert.Equal((2, 1, 8, 0.25), (all.Resolution.Resolved, all.Resolution.NotYetKnown, all.Resolution.Known, all.Resolution.Rate));
        // First answers 10, 20, 30, 40, 60, 300 s: nearest rank ⌈0.5·6⌉ = 3rd and ⌈0.9·6⌉ = 6th.
        Assert.Equal(new FirstAnswerTimes(6, 30_000, 300_000), all.TimeToFirstAiAnswer);
        Assert.Equal([("LowConfidence", "Low confidence", 2), ("CustomerAskedForHuman", "Customer asked for human", 1)],
            all.HandoffsByTrigger.Select(c => (c.Key, c.Label, c.Count)));
        Assert.Equal([("Low confidence: refunds", 2), ("Customer asked for a human", 1)], all.TopHandoffReasons.Select(c => (c.Key, c.Count)));
        // Skips by occurredAt in [from, to): two own posts (one at from, one at to − 1 ms), one human-owned, one recorded before codes existed.
        Assert.Equal(4, all.Skipped);
        Assert.Equal([("own-message", 2), ("human-owned", 1), (null, 1)], all.SkippedByReason.Select(c => (c.Key, c.Count)));
        // Drafts of 13 and 6 (a draft being sent is still pending); not 8's (outside) nor the other organization's.
        Assert.Equal(new DraftFigures(Total: 7, Approved: 1, Edited: 1, Discarded: 1, Stale: 1, Pending: 2, Silent: 1), all.Drafts);
        Assert.Equal(
            [(1, 1, 0), (2, 1, 1), (2, 0, 2), (1, 1, 0), (1, 0, 0), (1, 1, 0), (1, 1, 0)],
            all.Daily.Select(d => (d.Handled, d.AnsweredByAi, d.HandedOff)));
        Assert.Equal(new DateOnly(2026, 3, 1), all.Daily[0].Day);
        Assert.Equal(new DateOnly(2026, 3, 7), all.Daily[^1].Day);

        var chat = await world.ReportAsync(Period + "&channel=chat");

        Assert.Equal(new ConversationFigures(6, 4, 2, 1, 1.0 / 6), chat.Conversations);
        Assert.Equal((2, 1, 5, 0.4), (chat.Resolution.Resolved, chat.Resolution.NotYetKnown, chat.Resolution.Known, chat.Resolution.Rate));
        // 10, 20, 40, 300 s: ranks 2 and 4.
        Assert.Equal(new FirstAnswerTimes(4, 20_000, 300_000), chat.TimeToFirstAiAnswer);
        Assert.Equal([("LowConfidence", 2)], chat.HandoffsByTrigger.Select(c => (c.Key, c.Count)));
        // Only skips on chat conversations' threads: t1 at from and t5's.
        Assert.Equal([("human-owned", 1), ("own-message", 1)], chat.SkippedByReason.Select(c => (c.Key, c.Count)));
        Assert.Equal(new DraftFigures(3, 1, 1, 1, 0, 0, 0), chat.Drafts);

        var email = await world.ReportAsync(Period + "&channel=email");

        Assert.Equal(new ConversationFigures(2, 1, 1, 1, 0.5), email.Conversations);
        Assert.Equal((0, 0, 2, 0.0), (email.Resolution.Resolved, email.Resolution.NotYetKnown, email.Resolution.Known, email.Resolution.Rate));
        Assert.Equal(new FirstAnswerTimes(2, 30_000, 60_000), email.TimeToFirstAiAnswer);
        Assert.Equal([("own-message", 1)], email.SkippedByReason.Select(c => (c.Key, c.Count)));
    }

    [Fact]
    public async Task A_conversation_counts_as_resolved_once_its_window_has_passed_without_a_customer_message()
    {
        await using var world = await SeededWorld.StartAsync(StorageProvider.Sqlite);
        Assert.Equal((2, 1), Resolution(await world.ReportAsync(Period)));

        world.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal((2, 1), Resolution(await world.ReportAsync(Period)));

        // 7's last reply was 23 h before; at exactly 24 h its window has passed.
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var report = await world.ReportAsync(Period);
        Assert.Equal((3, 0), Resolution(report));
        Assert.Equal(3.0 / 9, report.Resolution.Rate);
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Percentiles_are_the_nearest_rank_values_of_every_answer_time(StorageProvider provider)
    {
        await using var world = await SeededWorld.StartAsync(provider);
        // 101 conversations in January answered after 1, 2, …, 101 s, written in a shuffled order.
        var january = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        await using (var scope = world.Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
            foreach (var i in Enumerable.Range(1, 101).OrderBy(i => (i * 37) % 101))
            {
                var first = january + i * Hour;
                db.Sessions.Add(new Deskbridge.Sessions.Session
                {
                    OrganizationId = world.OrganizationId, ThreadId = $"p{i}", Channel = "chat", FirstCustomerMessageAt = first, LastCustomerMessageAt = first,
                    CustomerMessages = 1, FirstAiReplyAt = first + i * Second, LastAiReplyAt = first + i * Second, AiReplies = 1, LastActivityAt = first + i * Second,
                });
            }
            await db.SaveChangesAsync();
        }

        var report = await world.ReportAsync("from=2026-01-01&to=2026-01-31");

        // Ranks ⌈0.5·101⌉ = 51 and ⌈0.9·101⌉ = 91.
        Assert.Equal(new FirstAnswerTimes(101, 51_000, 91_000), report.TimeToFirstAiAnswer);
    }

    [Fact]
    public async Task An_empty_period_has_zero_counts_and_no_rates_or_percentiles()
    {
        await using var world = await SeededWorld.StartAsync(StorageProvider.Sqlite);

        var report = await world.ReportAsync("from=2025-01-01&to=2025-01-03");

        Assert.Equal(new ConversationFigures(0, 0, 0, 0, null), report.Conversations);
        Assert.Null(report.Resolution.Rate);
        Assert.Equal(new FirstAnswerTimes(0, null, null), report.TimeToFirstAiAnswer);
        Assert.Equal(2, report.Daily.Count);
        Assert.All(report.Daily, d => Assert.Equal(0, d.Handled));
    }

    /// <summary>A Deskbridge host on a fixed clock with the history seeded into one organization (and a little into another).</summary>
    internal sealed class SeededWorld : IAsyncDisposable
    {
        private SeededWorld(DeskbridgeTestHost host, FakeTimeProvider clock, Guid organizationId)
        {
            Host = host;
            Clock = clock;
            OrganizationId = organizationId;
        }

        public DeskbridgeTestHost Host { get; }
        public FakeTimeProvider Clock { get; }
        public Guid OrganizationId { get; }

        public static async Task<SeededWorld> StartAsync(StorageProvider provider, IDictionary<string, string?>? settings = null)
        {
            var clock = new FakeTimeProvider(Now);
            var values = TestStorage.With(provider, settings);
            values["Processing:Enabled"] = "false";
            var host = await DeskbridgeTestHost.StartAsync(settings: values, configure: b => b.Services.AddSingleton<TimeProvider>(clock));
            var organization = await host.CreateOrganizationAsync();
            var other = await host.CreateOrganizationAsync();
            await SeedAsync(host.Services, organization.Id, other.Id, Start, Now);
            return new SeededWorld(host, clock, organization.Id);
        }

        public Task<AnalyticsReport> ReportAsync(string query) =>
            Host.GetJsonAsync<AnalyticsReport>($"api/organizations/{OrganizationId}/analytics?{query}");

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }

    private static (int Resolved, int NotYetKnown) Resolution(AnalyticsReport report) => (report.Resolution.Resolved, report.Resolution.NotYetKnown);
}
