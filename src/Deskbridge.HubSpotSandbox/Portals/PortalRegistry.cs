using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.RateLimiting;
using Deskbridge.HubSpotSandbox.Webhooks;

namespace Deskbridge.HubSpotSandbox.Portals;

public sealed record PortalCreateResult(PortalView? Portal, string? Error, bool Conflict = false);

/// <summary>
/// The sandbox's portals: the default one (the application's container, exactly as the seed describes it) and those
/// created through <c>POST /_sandbox/portals</c>, each in a container of its own with the same registrations, so each keeps
/// its own tokens, rate-limit windows, request log, faults, CRM, conversations, webhook target, secret and subscriptions,
/// and runs its own webhook delivery. A reset of the default portal removes the others (they are not part of the seed).
/// </summary>
public sealed partial class PortalRegistry(SandboxOptions options, IServiceProvider application, TimeProvider time, ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    /// <summary>Each created portal's ids are this far from the previous portal's (see <see cref="SandboxOptions.IdOffset"/>).</summary>
    public const long IdStride = 1_000_000;

    private readonly ConcurrentDictionary<long, SandboxPortal> _portals = new();
    private readonly SemaphoreSlim _changes = new(1, 1);
    private long _created;

    public SandboxPortal Default { get; } = new(options, application, isDefault: true);

    /// <summary>The types each portal keeps for itself; requests for another portal resolve these from its container.</summary>
    public IReadOnlySet<Type> PortalServiceTypes { get; } = PortalTypes();

    public IReadOnlyList<SandboxPortal> All => [Default, .. _portals.Values.OrderBy(p => p.Options.IdOffset)];

    public SandboxPortal? Find(long portalId) =>
        portalId == Default.PortalId ? Default : _portals.GetValueOrDefault(portalId);

    public SandboxPortal? FindByToken(string token) =>
        Default.Tokens.Find(token) is not null ? Default : _portals.Values.FirstOrDefault(p => p.Tokens.Find(token) is not null);

    public SandboxPortal? FindByAppId(long appId) =>
        appId == Default.Options.AppId ? Default : _portals.Values.FirstOrDefault(p => p.Options.AppId == appId);

    public async Task<PortalCreateResult> CreateAsync(PortalCreate request, CancellationToken ct)
    {
        if (Validate(request) is { } error)
        {
            return new PortalCreateResult(null, error);
        }

        await _changes.WaitAsync(ct);
        try
        {
            var number = _created + 1;
            var portalId = request.PortalId ?? NextFree(options.PortalId + number, id => Find(id) is null);
            var appId = request.AppId ?? NextFree(options.AppId + number, id => FindByAppId(id) is null);
            if (Find(portalId) is not null)
            {
                return new PortalCreateResult(null, $"Portal {portalId} exists already", Conflict: true);
            }
            if (FindByAppId(appId) is not null)
            {
                return new PortalCreateResult(null, $"App {appId} belongs to another portal", Conflict: true);
            }

            var portalOptions = options.Clone();
            portalOptions.PortalId = portalId;
            portalOptions.AppId = appId;
            portalOptions.Region = request.Region ?? options.Region;
            portalOptions.ClientSecret = request.ClientSecret ?? $"sandbox-client-secret-{portalId.ToString(CultureInfo.InvariantCulture)}";
            portalOptions.DemoToken = $"pat-{portalOptions.Region}-{Guid.NewGuid()}";
            portalOptions.AiUserId = request.AiUserId ?? options.AiUserId + number * 100;
            portalOptions.HumanUserId = request.HumanUserId ?? options.HumanUserId + number * 100;
            portalOptions.InboxName = request.InboxName ?? $"Portal {portalId.ToString(CultureInfo.InvariantCulture)} Support";
            portalOptions.SupportEmailAddress = request.SupportEmailAddress ?? $"support@portal-{portalId.ToString(CultureInfo.InvariantCulture)}.example";
            portalOptions.WebhookTargetUrl = request.WebhookTargetUrl;
            portalOptions.Subscriptions = request.Subscriptions?.Select(s => (s.EventType!, s.PropertyName)).ToList();
            portalOptions.DefaultAssigneeUserId = request.DefaultAssigneeUserId;
            portalOptions.RequestsPer10Seconds = request.RateLimits?.RequestsPer10Seconds ?? options.RequestsPer10Seconds;
            portalOptions.SearchRequestsPerSecond = request.RateLimits?.SearchRequestsPerSecond ?? options.SearchRequestsPerSecond;
            portalOptions.DailyRequestLimit = request.RateLimits?.DailyRequestLimit ?? options.DailyRequestLimit;
            portalOptions.IdOffset = number * IdStride;
            portalOptions.SeedSampleRecords = false;

            if (portalOptions.AiUserId == portalOptions.HumanUserId)
            {
                return new PortalCreateResult(null, "aiUserId and humanUserId must differ");
            }
            if (portalOptions.DefaultAssigneeUserId is { } assignee && assignee != portalOptions.AiUserId && assignee != portalOptions.HumanUserId)
            {
                return new PortalCreateResult(null, $"defaultAssigneeUserId {assignee} is no user of this portal (aiUserId or humanUserId)");
            }

            var portal = await StartPortalAsync(portalOptions, ct);
            var tokens = (request.Tokens ?? []).Select(t => portal.Tokens.Create(t.Scopes ?? [])).ToList();
            _portals[portalId] = portal;
            _created = number;
            return new PortalCreateResult(View(portal, tokens), null);
        }
        finally
        {
            _changes.Release();
        }
    }

    public PortalView View(SandboxPortal portal, IReadOnlyList<AccessToken>? tokens = null)
    {
        var o = portal.Options;
        var limits = portal.Services.GetRequiredService<RateLimiter>().Settings;
        var target = portal.Services.GetRequiredService<WebhookSettingsStore>().Current.TargetUrl;
        return new PortalView(
            o.PortalId, o.Region, o.AppId, o.ClientSecret, o.DemoToken,
            [.. (tokens ?? []).Select(t => new TokenView(t.Token, [.. t.Scopes.Order(StringComparer.Ordinal)]))],
            o.AiUserId, o.HumanUserId, SeedData.Id(o, SeedData.InboxId), SeedData.Id(o, SeedData.ChatChannelAccountId), SeedData.Id(o, SeedData.EmailChannelAccountId),
            target, o.DefaultAssigneeUserId, limits,
            portal.IsDefault ? SandboxApplication.AdminPrefix + "/" : $"{SandboxApplication.AdminPrefix}/portals/{o.PortalId.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>Drops every created portal (their webhook deliveries stop); the default portal stays.</summary>
    public async Task RemoveCreatedAsync()
    {
        await _changes.WaitAsync();
        try
        {
            var removed = _portals.Values.ToList();
            _portals.Clear();
            _created = 0;
            foreach (var portal in removed)
            {
                await StopPortalAsync(portal);
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await RemoveCreatedAsync();

    // The container disposes this twice (it is also the hosted service), so disposing is only stopping what is left; the
    // semaphore holds no wait handle and needs no disposal.
    public async ValueTask DisposeAsync() => await RemoveCreatedAsync();

    private async Task<SandboxPortal> StartPortalAsync(SandboxOptions portalOptions, CancellationToken ct)
    {
        var services = new ServiceCollection();
        services.AddSingleton(portalOptions);
        services.AddSingleton(time);
        services.AddSingleton(loggers);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        // App-level webhooks: the portal's changes also go to the public apps installed in it.
        services.AddSingleton(application.GetRequiredService<OAuth.OAuthApps>());
        SandboxApplication.AddPortalState(services);
        SandboxApplication.AddWebhookDelivery(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetRequiredService<SandboxSeeder>().Seed();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(ct);
        }
        return new SandboxPortal(portalOptions, provider, isDefault: false);
    }

    private static async Task StopPortalAsync(SandboxPortal portal)
    {
        foreach (var hosted in portal.Services.GetServices<IHostedService>())
        {
            await hosted.StopAsync(CancellationToken.None);
        }
        if (portal.Services is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    private string? Validate(PortalCreate request)
    {
        if (request.PortalId is <= 0 || request.AppId is <= 0 || request.AiUserId is <= 0 || request.HumanUserId is <= 0)
        {
            return "portalId, appId, aiUserId and humanUserId must be positive";
        }
        if (request.Region is { } region && !RegionPattern().IsMatch(region))
        {
            return $"region must look like na1 or eu1, was \"{region}\"";
        }
        if (request.ClientSecret is { Length: 0 })
        {
            return "clientSecret must not be empty";
        }
        if (request.SupportEmailAddress is { } email && (email.IndexOf('@') is <= 0 || email.EndsWith('@')))
        {
            return $"supportEmailAddress must be an email address, was \"{email}\"";
        }
        if (request.WebhookTargetUrl is { } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https")))
        {
            return $"webhookTargetUrl must be an absolute http(s) URL, was \"{url}\"";
        }
        foreach (var subscription in request.Subscriptions ?? [])
        {
            if (!SubscriptionTypes.Known.Contains(subscription.EventType ?? ""))
            {
                return $"Unknown subscription eventType \"{subscription.EventType}\"";
            }
            if (SubscriptionTypes.RequiresPropertyName(subscription.EventType!) != !string.IsNullOrEmpty(subscription.PropertyName)
                && subscription.EventType != SubscriptionTypes.ConversationPropertyChange)
            {
                return $"{subscription.EventType} subscriptions {(SubscriptionTypes.RequiresPropertyName(subscription.EventType!) ? "need" : "take no")} propertyName";
            }
        }
        if (request.RateLimits is { } limits && (limits.RequestsPer10Seconds is < 1 || limits.SearchRequestsPerSecond is < 1 || limits.DailyRequestLimit is < 1))
        {
            return "rate limits must be at least 1";
        }
        return null;
    }

    private static long NextFree(long start, Func<long, bool> free)
    {
        var id = start;
        while (!free(id))
        {
            id++;
        }
        return id;
    }

    private static HashSet<Type> PortalTypes()
    {
        var services = new ServiceCollection();
        SandboxApplication.AddPortalState(services);
        return [typeof(SandboxOptions), .. services.Select(d => d.ServiceType)];
    }

    [GeneratedRegex("^[a-z]{2}[0-9]$", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RegionPattern();
}
