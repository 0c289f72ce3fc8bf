using System.Net;
using System.Text;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Deskbridge.Tests.Retention;
using Microsoft.Extensions.DependencyInjection;

using static Deskbridge.Testing.DeskbridgeApi;

namespace Deskbridge.Tests.Storage;

/// <summary>
/// The event path on PostgreSQL, end to end through real parts: ingress and dedup (the inbox's own SQL in its
/// PostgreSQL dialect), processing to one AI reply through HubSpot's faults, bulk retry and retention.
/// </summary>
public sealed class PostgresInboxTests
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Accepts_a_batch_and_records_a_repeated_delivery_as_duplicates_on_postgres()
    {
        await using var host = await DeskbridgeTestHost.StartAsync(settings: TestStorage.With(StorageProvider.Postgres));
        var org = await host.CreateOrganizationAsync();
        var batch = Batch(NewMessageEvent("101", "m-1", 1), NewMessageEvent("101", "m-2", 2), NewMessageEvent("101", "m-1", 1, attemptNumber: 1));

        var first = await host.Http.PostAsync(org.WebhookUrl, Json(batch));
        var again = await host.Http.PostAsync(org.WebhookUrl, Json(batch));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Contains("\"accepted\":2,\"duplicates\":1", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"accepted\":0,\"duplicates\":3", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var events = await Eventually.UntilAsync(() => host.EventsAsync(org.Id), e => e.Count == 6 && e.All(x => x.Status == "Done"), what: "six fates");
        Assert.Equal(4, events.Count(e => e.Fate == "Duplicate"));
        Assert.Equal(2, events.Count(e => e.Fate == "Skipped"));
    }

    [Fact]
    public async Task A_group_commit_of_many_batches_dedups_across_them_on_postgres()
    {
        await using var host = await DeskbridgeTestHost.StartAsync(settings: TestStorage.With(StorageProvider.Postgres));
        var org = await host.CreateOrganizationAsync();

        // Concurrent deliveries are committed together; every event id is sent by two of them.
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            host.Http.PostAsync(org.WebhookUrl, Json(Batch(NewMessageEvent("202", $"m-{i % 20}", 1000 + (i % 20)))))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var events = await Eventually.UntilAsync(() => host.EventsAsync(org.Id), e => e.Count == 40 && e.All(x => x.Status == "Done"), what: "forty fates");
        Assert.Equal(20, events.Count(e => e.Fate == "Duplicate"));
        Assert.Equal(20, events.Where(e => e.Fate != "Duplicate").Select(e => e.DedupKey).Distinct().Count());
    }

    [Fact]
    public async Task Replies_arrive_once_through_429_bursts_and_5xx_errors_on_postgres()
    {
        await using var world = await ConnectedWorld.StartAsync(TestStorage.With(StorageProvider.Postgres));
        await world.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/threads/*/messages/*", FaultKind.RateLimit, Method: "GET", Count: 3));
        await world.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/threads/*/messages", FaultKind.Error, Method: "POST", StatusCode: 503, Count: 2));

        var threads = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            threads.Add((await world.CustomerWritesAsync("How long does standard shipping take?")).ThreadId);
        }

        foreach (var thread in threads)
        {
            var events = await world.SettledEventsAsync(thread, atLeast: 3, TimeSpan.FromSeconds(40));
            Assert.Single(await world.MessagesFromAsync(thread, world.AiActor));
            Assert.DoesNotContain(events, e => e.Fate == "Failed");
        }
    }

    [Fact]
    public async Task Bulk_retry_matches_the_reason_in_any_case_on_postgres()
    {
        await using var world = await RetentionWorld.StartAsync(TestStorage.With(StorageProvider.Postgres));
        await world.DeliverAsync(world.Message("m-a"), world.Message("m-b"));
        var events = await world.EventsAsync();
        await world.FailAsync(events[0].Id);
        await world.FailAsync(events[1].Id);

        await using var scope = world.Host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<FailedEventRetry>()
            .RetryAsync(world.Organization, new FailedEventRetry.Filter("hubspot 503", null, null), CancellationToken.None);

        Assert.Equal(2, result.Requeued);
        Assert.All(await world.EventsAsync(), e => Assert.Equal(EventStatus.Pending, e.Status));
    }

    [Fact]
    public async Task Retention_empties_payloads_deletes_done_events_and_old_dedup_keys_on_postgres()
    {
        await using var world = await RetentionWorld.StartAsync(TestStorage.With(StorageProvider.Postgres));
        for (var i = 0; i < 20; i++)
        {
            await world.DeliverAsync(world.Change());
        }
        await world.DeliverAsync(world.Message("m-pending"));
        world.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var payloads = await world.PruneAsync();
        world.Clock.Advance(TimeSpan.FromDays(23));
        await world.DeliverAsync(world.Change());

        var all = await world.PruneAsync();

        // The first round also removes every key older than 3 days, the pending message's too.
        Assert.Equal((20, 0, 21), (payloads.Payloads, payloads.Events, payloads.DedupKeys));
        Assert.Equal((20, 0), (all.Events, all.DedupKeys));
        var left = await world.EventsAsync();
        Assert.Equal(["m-pending", null], left.Select(e => e.MessageId));
        Assert.Equal(1, await world.DedupKeyCountAsync());
    }

    [Fact]
    public async Task A_HubSpot_retry_of_a_recent_event_is_still_a_duplicate_after_pruning_on_postgres()
    {
        await using var world = await RetentionWorld.StartAsync(TestStorage.With(StorageProvider.Postgres));
        var recent = world.Change();
        await world.DeliverAsync(world.Change());
        world.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await world.DeliverAsync(recent);

        await world.PruneAsync();
        var again = await world.DeliverAsync(recent);

        Assert.Equal((0, 1), (again.Accepted, again.Duplicates));
    }
}
