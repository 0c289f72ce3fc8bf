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
    private HubSpotSandboxServer _sandbox = null!;
    private DeskbridgeTestHost _host = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await HubSpotSandboxServer.StartAsync();
        _host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["HubSpot:CircuitBreakerMinimumThroughput"] = "4",
            ["HubSpot:CircuitBreakerBreakDuration"] = "00:00:05",
            ["HubSpot:MaxRetries"] = "3",
            ["HubSpot:AttemptTimeout"] = "00:00:01",
        });
        _admin = new HttpClient { BaseAddress = _sandbox.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private HubSpotClient Client => _host.Services.GetRequiredService<HubSpotClient>();

    private HubSpotPortal Portal(long portalId = 24681357, string? token = null) => new(portalId, token ?? _sandbox.Options.DemoToken, _sandbox.BaseAddress);

    private Task Fault(FaultRequest fault) => new SandboxAdminClient(_admin).AddFaultAsync(fault);

    [Fact]
    public async Task Recovers_from_429_honouring_retry_after()
    {
        await Fault(new FaultRequest("/crm/v3/owners/*", FaultKind.RateLimit, Count: 2, RetryAfterSeconds: 1));

        var watch = Stopwatch.StartNew();
        var owner = await Client.GetOwnerByUserIdAsync(Portal(), _sandbox.Options.AiUserId, CancellationToken.None);

        Assert.True(owner.IsSuccess, owner.Error?.ToString());
        Assert.Equal(_sandbox.Options.AiUserId, owner.Value!.UserId);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), $"retried after {watch.Elapsed}, sooner than Retry-After");
    }

    [Fact]
    public async Task Recovers_from_5xx_and_timeouts()
    {
        await Fault(new FaultRequest("/crm/v3/owners/*", FaultKind.Error, StatusCode: 502, Count: 1));
        await Fault(new FaultRequest("/crm/v3/owners/*", FaultKind.Timeout, Count: 1));

        var owner = await Client.GetOwnerByUserIdAsync(Portal(), _sandbox.Options.AiUserId, CancellationToken.None);

        Assert.True(owner.IsSuccess, owner.Error?.ToString());
    }

    [Fact]
    public async Task Reports_missing_scopes_by_name()
    {
        var token = (await new SandboxAdminClient(_admin).CreateTokenAsync(["conversations.read"])).Token;

        var owner = await Client.GetOwnerByUserIdAsync(Portal(token: token), _sandbox.Options.AiUserId, CancellationToken.None);

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
            last = await Client.GetOwnerByUserIdAsync(Portal(portalId: 1), _sandbox.Options.AiUserId, CancellationToken.None);
        }
        var otherPortal = await Client.GetOwnerByUserIdAsync(Portal(portalId: 2), _sandbox.Options.AiUserId, CancellationToken.None);

        Assert.Equal(HubSpotErrorKind.CircuitOpen, last.Error!.Kind);
        Assert.Equal(HubSpotErrorKind.ServerError, otherPortal.Error!.Kind);
    }
}
