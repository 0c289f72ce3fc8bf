using System.Diagnostics;
using System.Net.Http.Json;
using Deskbridge.HubSpot;
using Deskbridge.HubSpotSandbox;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Tests.HubSpot;

/// <summary>The typed client under injected faults, against the sandbox over HTTP.</summary>
public sealed class HubSpotClientTests : IAsyncLifetime
{
    private HubSpotSandboxServer sandbox = null!;
    private DeskbridgeTestHost host = null!;
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        sandbox = await HubSpotSandboxServer.StartAsync();
        host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["HubSpot:CircuitBreakerMinimumThroughput"] = "4",
            ["HubSpot:CircuitBreakerBreakDuration"] = "00:00:05",
            ["HubSpot:MaxRetries"] = "3",
            ["HubSpot:AttemptTimeout"] = "00:00:01",
        });
        admin = new HttpClient { BaseAddress = sandbox.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        admin.Dispose();
        await host.DisposeAsync();
        await sandbox.DisposeAsync();
    }

    private HubSpotClient Client => host.Services.GetRequiredService<HubSpotClient>();

    private HubSpotPortal Portal(long portalId = 24681357, string? token = null) => new(portalId, token ?? sandbox.Options.DemoToken, sandbox.BaseAddress);

    private Task Fault(FaultRequest fault) => new SandboxAdminClient(admin).AddFaultAsync(fault);

    [Fact]
    public async Task Recovers_from_429_honouring_retry_after()
    {
        await Fault(new FaultRequest("/crm/v3/owners/*", FaultKind.RateLimit, Count: 2, RetryAfterSeconds: 1));

        var watch = Stopwatch.StartNew();
        var owner = await Client.GetOwnerByUserIdAsync(Portal(), sandbox.Options.AiUserId, CancellationToken.None);

        Assert.True(owner.IsSuccess, owner.Error?.ToString());
        Assert.Equal(sandbox.Options.AiUserId, owner.Value!.UserId);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), $"retried after {watch.Elapsed}, sooner than Retry-After");
    }

    [Fact]
    public async Task Recovers_from_5xx_and_timeouts()
    {
        await Fault(new FaultRequest("/crm/v3/owners/*", FaultKind.Error, StatusCode: 502, Count: 1));
        await Fault(new FaultRequest("/crm/v3/owners/*", FaultKind.Timeout, Count: 1));

        var owner = await Client.GetOwnerByUserIdAsync(Portal(), sandbox.Options.AiUserId, CancellationToken.None);

        Assert.True(owner.IsSuccess, owner.Error?.ToString());
    }

    [Fact]
    public async Task Reports_missing_scopes_by_name()
    {
        var token = (await new SandboxAdminClient(admin).CreateTokenAsync(["conversations.read"])).Token;

        var owner = await Client.GetOwnerByUserIdAsync(Portal(token: token), sandbox.Options.AiUserId, CancellationToken.None);

        Assert.Equal(HubSpotErrorKind.MissingScopes, owner.Error!.Kind);
        Assert.Contains("crm.objects.owners.read", owner.Error.MissingScopes);
        Assert.Contains("crm.objects.owners.read", owner.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_token_is_unauthorized_and_unknown_thread_is_not_found()
    {
        var unknown = await Client.GetThreadAsync(Portal(token: "pat-na1-99999999-9999-4999-8999-999999999999"), "1", CancellationToken.None);
        var missing = await Client.GetThreadAsync(Portal(), "424242", CancellationToken.None);

        Assert.Equal(HubSpotErrorKind.Unauthorized, unknown.Error!.Kind);
        Assert.Equal(HubSpotErrorKind.NotFound, missing.Error!.Kind);
    }

    [Fact]
    public async Task Circuit_opens_for_a_failing_portal_without_stopping_the_others()
    {
        await Fault(new FaultRequest("/crm/v3/owners/*", FaultKind.Error, StatusCode: 500, Count: 1000));

        HubSpotResult<HubSpotOwner> last = default;
        for (var i = 0; i < 6 && last.Error?.Kind != HubSpotErrorKind.CircuitOpen; i++)
        {
            last = await Client.GetOwnerByUserIdAsync(Portal(portalId: 1), sandbox.Options.AiUserId, CancellationToken.None);
        }
        var otherPortal = await Client.GetOwnerByUserIdAsync(Portal(portalId: 2), sandbox.Options.AiUserId, CancellationToken.None);

        Assert.Equal(HubSpotErrorKind.CircuitOpen, last.Error!.Kind);
        Assert.Equal(HubSpotErrorKind.ServerError, otherPortal.Error!.Kind);
    }
}
