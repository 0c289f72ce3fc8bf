using Deskbridge.Inbox;
using Deskbridge.Testing;
using Microsoft.Extensions.Options;

namespace Deskbridge.Tests.Retention;

/// <summary>X5 on a real SQLite file: what goes, when, and what must stay.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task Empties_payloads_of_done_events_after_the_payload_period_and_keeps_their_fates()
    {
        await using var world = await RetentionWorld.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            await world.DeliverAsync(world.Change());
        }
        world.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await world.DeliverAsync(world.Change());

        var report = await world.PruneAsync();

        var events = await world.EventsAsync();
        Assert.Equal(20, report.Payloads);
        Assert.Equal(0, report.Events);
        Assert.All(events.Take(20), e => Assert.Equal(("", EventFate.Ignored), (e.Payload, e.Fate)));
        Assert.All(events.Take(20), e => Assert.NotNull(e.Reason));
        Assert.Contains("contact.propertyChange", events[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deletes_done_events_after_the_events_period_but_never_pending_ones()
    {
        await using var world = await RetentionWorld.StartAsync();
        await world.DeliverAsync(world.Change(), world.Message("m-pending"), world.Change(), world.Message("m-failed"));
        await world.FailAsync((await world.EventsAsync()).Single(e => e.MessageId == "m-failed").Id);
        world.Clock.Advance(TimeSpan.FromDays(29));
        await world.DeliverAsync(world.Change());
        world.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        var report = await world.PruneAsync();

        var left = await world.EventsAsync();
        Assert.Equal(3, report.Events);
        Assert.Equal(2, left.Count);
        var pending = left[0];
        Assert.Equal(("m-pending", EventStatus.Pending), (pending.MessageId, pending.Status));
        Assert.Contains("m-pending", pending.Payload, StringComparison.Ordinal);
        Assert.Equal(EventFate.Ignored, left[1].Fate);
    }

    [Fact]
    public async Task Failed_events_keep_their_payload_for_the_events_period_so_they_can_be_retried()
    {
        await using var world = await RetentionWorld.StartAsync();
        await world.DeliverAsync(world.Message("m-1"), world.Change());
        var failed = (await world.EventsAsync())[0];
        await world.FailAsync(failed.Id);
        world.Clock.Advance(TimeSpan.FromDays(20));

        var report = await world.PruneAsync();

        var events = await world.EventsAsync();
        Assert.Equal(1, report.Payloads);
        Assert.Equal(EventFate.Failed, events[0].Fate);
        Assert.Contains("m-1", events[0].Payload, StringComparison.Ordinal);
        Assert.Equal("", events[1].Payload);
    }

    [Fact]
    public async Task A_HubSpot_retry_of_a_recent_event_is_still_a_duplicate_after_pruning()
    {
        await using var world = await RetentionWorld.StartAsync();
        var original = world.Message("m-recent");
        await world.DeliverAsync(original);
        world.Clock.Advance(TimeSpan.FromHours(23));
        await world.PruneAsync();
        world.Clock.Advance(TimeSpan.FromDays(2));
        await world.PruneAsync();

        var retry = await world.DeliverAsync(world.Message("m-recent", attempt: 9));

        Assert.Equal((0, 1), (retry.Accepted, retry.Duplicates));
        Assert.Equal(1, await world.DedupKeyCountAsync());
    }

    [Fact]
    public async Task An_event_older_than_the_dedup_period_is_no_longer_a_duplicate()
    {
        // Documented: past Retention:DedupKeys (3 d, well beyond HubSpot's 24 h of retries) a repeat is new again.
        await using var world = await RetentionWorld.StartAsync();
        await world.DeliverAsync(world.Message("m-old"));
        for (var i = 0; i < 30; i++)
        {
            await world.DeliverAsync(world.Change());
        }
        world.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await world.DeliverAsync(world.Change());

        var report = await world.PruneAsync();
        var again = await world.DeliverAsync(world.Message("m-old"));

        Assert.Equal(31, report.DedupKeys);
        Assert.Equal((1, 0), (again.Accepted, again.Duplicates));
    }

    [Fact]
    public async Task Start_up_refuses_a_dedup_period_shorter_than_HubSpots_retry_horizon()
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            RetentionWorld.StartAsync(new Dictionary<string, string?> { ["Retention:DedupKeys"] = "23:59:00" }));

        Assert.Contains("24 hours", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_database_gives_freed_pages_back_to_the_file_system()
    {
        await using var world = await RetentionWorld.StartAsync(new Dictionary<string, string?>
        {
            ["Retention:KeepFreePages"] = "0", ["Retention:BatchSize"] = "500",
        });
        for (var i = 0; i < 40; i++)
        {
            await world.DeliverAsync(Enumerable.Range(0, 50).Select(_ => world.Change(padding: 2000)).ToArray());
        }
        var file = Path.Combine(world.Host.DataDirectory, "deskbridge.db");
        var full = await FileSizeAfterCheckpointAsync(world, file);
        world.Clock.Advance(TimeSpan.FromDays(31));

        var report = await world.PruneAsync();
        var after = await FileSizeAfterCheckpointAsync(world, file);

        Assert.Equal(2000, report.Events);
        Assert.True(report.PagesReclaimed > 0);
        Assert.True(after < full / 2, $"the file went from {full} to {after} bytes");
    }

    private static async Task<long> FileSizeAfterCheckpointAsync(RetentionWorld world, string file)
    {
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file}"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync();
        }
        _ = world;
        return new FileInfo(file).Length;
    }
}

/// <summary>The hosted service, not a round the test runs: it prunes on its own once its clock says the time has come.</summary>
public sealed class RetentionServiceTests
{
    [Fact]
    public async Task The_service_prunes_old_events_on_its_own_schedule()
    {
        await using var world = await RetentionWorld.StartAsync(new Dictionary<string, string?> { ["Retention:Enabled"] = "true" });
        await world.DeliverAsync(world.Change(), world.Change(), world.Message("m-waiting"));

        // Its first round is due 30 s after start; by the clock that is 31 days later. The service may set its timer only
        // after this jump, so the clock keeps moving a few minutes a look until a round has run.
        world.Clock.Advance(TimeSpan.FromDays(31));

        var left = await Eventually.UntilAsync(async () =>
        {
            world.Clock.Advance(TimeSpan.FromMinutes(5));
            return await world.EventsAsync();
        }, events => events.Count == 1, TimeSpan.FromSeconds(20), "the service's round");
        Assert.Equal("m-waiting", left.Single().MessageId);
    }
}
