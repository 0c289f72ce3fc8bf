using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Deskbridge.Tests.ScaleOut;

/// <summary>What instances agree on through the database alone: thread leases and the HubSpot budget, on a real SQLite file.</summary>
public sealed class SharedStateTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly string _file = Path.Combine(DeskbridgeTestHost.NewDataDirectory(), "deskbridge.db");
    private ServiceProvider _first = null!;
    private ServiceProvider _second = null!;

    public async Task InitializeAsync()
    {
        _first = Instance();
        _second = Instance();
        await using var scope = _first.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_thread_held_by_one_instance_is_taken_over_by_another_only_after_its_lease_runs_out()
    {
        var organization = Guid.NewGuid();
        var (a, aDb) = Leases(_first);
        var (b, bDb) = Leases(_second);

        Assert.Single(await a.TryClaimAsync(aDb, [(organization, "thread:1")], default));
        Assert.Empty(await b.TryClaimAsync(bDb, [(organization, "thread:1")], default));
        Assert.Equal([(organization, "thread:2")], await b.TryClaimAsync(bDb, [(organization, "thread:1"), (organization, "thread:2")], default)); // other threads are free
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await a.RenewAsync(aDb, organization, "thread:1", default)); // renewed: 30 s from now
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Empty(await b.TryClaimAsync(bDb, [(organization, "thread:1")], default));

        _time.Advance(TimeSpan.FromSeconds(11)); // A stopped renewing (killed): its lease ran out
        Assert.Single(await b.TryClaimAsync(bDb, [(organization, "thread:1")], default));
        Assert.False(await a.RenewAsync(aDb, organization, "thread:1", default)); // A learns it lost the thread
        await a.ReleaseAsync(aDb, [(organization, "thread:1")], default); // and releasing what is not its own does nothing
        Assert.Empty(await a.TryClaimAsync(aDb, [(organization, "thread:1")], default));
        await b.ReleaseAsync(bDb, [(organization, "thread:1")], default);
        Assert.Single(await a.TryClaimAsync(aDb, [(organization, "thread:1")], default));
    }

    [Fact]
    public async Task Two_instances_together_take_no_more_HubSpot_permits_in_a_window_than_the_portal_limit()
    {
        var budgets = new[] { _first.GetRequiredService<SharedPortalBudget>(), _second.GetRequiredService<SharedPortalBudget>() };
        var calls = Enumerable.Range(0, 8).Select(i => budgets[i % 2].TakeAsync("4242", limit: 5, windowSeconds: 10, default)).ToList();

        await Eventually.UntilAsync(() => Task.FromResult(calls.Count(c => c.IsCompletedSuccessfully)), n => n >= 5, TimeSpan.FromSeconds(10), "the first five permits");
        await Task.Delay(300);
        Assert.Equal(5, calls.Count(c => c.IsCompleted));

        _time.Advance(TimeSpan.FromSeconds(5)); // still inside the window: nobody gets more
        await Task.Delay(300);
        Assert.Equal(5, calls.Count(c => c.IsCompleted));

        _time.Advance(TimeSpan.FromSeconds(7)); // the first second has left the window
        await Eventually.UntilAsync(() => Task.FromResult(calls.Count(c => c.IsCompletedSuccessfully)), n => n == 8, TimeSpan.FromSeconds(10), "the remaining permits");
        // Another portal's budget is its own.
        await budgets[0].TakeAsync("4343", limit: 5, windowSeconds: 10, default).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Permits_are_counted_a_second_at_a_time_and_what_a_second_left_unspent_is_given_back()
    {
        // limit 110 over 10 s: a second's share is 10 permits, so one block holds at most 10.
        var budget = _first.GetRequiredService<SharedPortalBudget>();
        var second = _time.GetUtcNow().ToUnixTimeSeconds();
        for (var i = 0; i < 4; i++)
        {
            await budget.TakeAsync("5151", limit: 110, windowSeconds: 10, default);
        }
        Assert.Equal(4, await CountedAsync("5151", second));

        _time.Advance(TimeSpan.FromSeconds(1));
        await budget.TakeAsync("5151", limit: 110, windowSeconds: 10, default);
        // It spent 4 the second before, so it took 4 at once and spends one of them.
        Assert.Equal(4, await CountedAsync("5151", second + 1));

        _time.Advance(TimeSpan.FromSeconds(1));
        await budget.TakeAsync("5151", limit: 110, windowSeconds: 10, default);
        Assert.Equal(1, await CountedAsync("5151", second + 1)); // the 3 it did not spend are given back
        Assert.Equal(1, await CountedAsync("5151", second + 2));

        // The other instance reads the window as it is: 4 + 1 + 1 of 8.
        for (var i = 0; i < 2; i++)
        {
            await _second.GetRequiredService<SharedPortalBudget>().TakeAsync("5151", limit: 8, windowSeconds: 10, default).WaitAsync(TimeSpan.FromSeconds(5));
        }
        var third = _second.GetRequiredService<SharedPortalBudget>().TakeAsync("5151", limit: 8, windowSeconds: 10, default);
        await Task.Delay(300);
        Assert.False(third.IsCompleted);
    }

    private async Task<long> CountedAsync(string key, long slot)
    {
        await using var scope = _first.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        return await db.Database.SqlQuery<long>($"""SELECT COALESCE(SUM("Count"), 0) AS "Value" FROM "PortalRateWindows" WHERE "Key" = {key} AND "Slot" = {slot}""").SingleAsync();
    }

    private ServiceProvider Instance()
    {
        var services = new ServiceCollection();
        services.AddDbContext<DeskbridgeDb, SqliteDeskbridgeDb>(o => o.UseSqlite($"Data Source={_file}"));
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(Options.Create(new ProcessingOptions()));
        services.AddSingleton<InstanceIdentity>();
        services.AddSingleton<IngressPriority>();
        services.AddSingleton<InboxLeases>();
        services.AddSingleton<SharedPortalBudget>();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        return services.BuildServiceProvider();
    }

    private static (InboxLeases, DeskbridgeDb) Leases(ServiceProvider instance) =>
        (instance.GetRequiredService<InboxLeases>(), instance.CreateScope().ServiceProvider.GetRequiredService<DeskbridgeDb>());
}
