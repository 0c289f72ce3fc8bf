using System.Text.Json;
using Deskbridge.Inbox;
using Deskbridge.Retention;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Deskbridge.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deskbridge.Tests.Retention;

/// <summary>
/// The real service on a real SQLite file with a clock the test moves. Processing is off, so a conversation message
/// stays pending for as long as the test wants; other event types are done (ignored) the moment they are stored.
/// </summary>
internal sealed class RetentionWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private long _nextEventId = 1000;

    private RetentionWorld(DeskbridgeTestHost host, FakeTimeProvider clock)
    {
        Host = host;
        Clock = clock;
    }

    public DeskbridgeTestHost Host { get; }
    public FakeTimeProvider Clock { get; }
    public Guid Organization { get; } = Guid.NewGuid();
    public RetentionPruner Pruner => Host.Services.GetRequiredService<RetentionPruner>();

    public static async Task<RetentionWorld> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var clock = new FakeTimeProvider(Start);
        var values = new Dictionary<string, string?>
        {
            ["Processing:Enabled"] = "false",
            ["Retention:Enabled"] = "false", // the tests run the rounds themselves, at the times they choose
            ["Retention:BatchSize"] = "7",   // small, so every round takes several batches
            ["Retention:PauseBetweenBatches"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var host = await DeskbridgeTestHost.StartAsync(settings: values, configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        return new RetentionWorld(host, clock);
    }

    /// <summary>A change HubSpot sends that Deskbridge does not act on: done (ignored) as soon as it is stored.</summary>
    public object Change(long? eventId = null, int attempt = 0, int padding = 0) => new
    {
        eventId = eventId ?? ++_nextEventId, subscriptionType = "contact.propertyChange", objectId = 51, portalId = 7, occurredAt = 1_700_000_000_000,
        attemptNumber = attempt, propertyName = "firstname", propertyValue = new string('x', padding),
    };

    /// <summary>A customer message: pending while processing is off.</summary>
    public object Message(string messageId, int attempt = 0) => new
    {
        eventId = ++_nextEventId, subscriptionType = "conversation.newMessage", objectId = 9001, portalId = 7, occurredAt = 1_700_000_000_000,
        attemptNumber = attempt, messageId, messageType = "MESSAGE", changeFlag = "NEW_MESSAGE",
    };

    public async Task<InboxWriteResult> DeliverAsync(params object[] events)
    {
        Assert.True(WebhookBatch.TryParse(JsonSerializer.SerializeToUtf8Bytes(events), out var parsed, out var error), error);
        await using var scope = Host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<InboxWriter>().WriteAsync([new IncomingBatch(Organization, parsed)], CancellationToken.None))[0];
    }

    public async Task<List<InboxEvent>> EventsAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().InboxEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }

    public async Task<int> DedupKeyCountAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().DedupKeys.CountAsync();
    }

    /// <summary>What the processor records when an event runs out of attempts.</summary>
    public async Task FailAsync(long id)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var row = await db.InboxEvents.SingleAsync(e => e.Id == id);
        row.Status = EventStatus.Done;
        row.Fate = EventFate.Failed;
        row.Reason = "HubSpot 503 past the retry horizon";
        row.CompletedAt = Clock.GetUtcNow();
        await db.SaveChangesAsync();
    }

    public Task<RetentionReport> PruneAsync() => Pruner.RunOnceAsync(CancellationToken.None);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
