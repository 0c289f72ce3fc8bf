namespace Deskbridge.HubSpotSandbox;

/// <summary>Seed and behaviour of the emulated HubSpot portal. Every value can be overridden
/// (command line / environment under the "Sandbox" section when run standalone).</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    public long PortalId { get; set; } = 24681357;
    public string Region { get; set; } = "na1";
    public long AppId { get; set; } = 2345678;
    public string ClientSecret { get; set; } = "sandbox-client-secret-0000-demo";
    public string DeveloperApiKey { get; set; } = "sandbox-developer-key";
    public string DemoToken { get; set; } = "pat-na1-00000000-0000-4000-8000-000000000001";
    public long AiUserId { get; set; } = 71822709;
    public long HumanUserId { get; set; } = 71822710;
    public int RequestsPer10Seconds { get; set; } = 190;
    public int SearchRequestsPerSecond { get; set; } = 5;
    public int DailyRequestLimit { get; set; } = 1_000_000;
    /// <summary>HubSpot retries a batch whose answer takes longer than 5 seconds.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>HubSpot spreads its retries over 24 hours (see <see cref="Webhooks.WebhookRetrySchedule"/>); tests shrink the
    /// window so a whole schedule plays out in seconds. The shape (10 retries, doubling gaps, jitter) stays HubSpot's.</summary>
    public TimeSpan WebhookRetryWindow { get; set; } = Webhooks.WebhookRetrySchedule.HubSpotWindow;

    /// <summary>Retries after the first attempt (HubSpot: 10).</summary>
    public int WebhookMaxAttempts { get; set; } = 10;

    /// <summary>HubSpot's throttle: requests in flight at once (each carries up to 100 events). Default 10, as HubSpot's;
    /// the webhooks v3 settings accept more than 5.</summary>
    public int WebhookMaxConcurrentRequests { get; set; } = 10;

    /// <summary>HubSpot: "eventId is not guaranteed to be unique". This share of new events reuses the eventId of a recent,
    /// different event, so every receiver meets it. 0 turns it off; 1 makes every event reuse the first one's id.</summary>
    public double WebhookEventIdRepeatRate { get; set; } = 0.02;

    /// <summary>When set at start, the demo subscriptions are created pointing here.</summary>
    public string? WebhookTargetUrl { get; set; }

    /// <summary>Inbox routing: new customer threads are assigned to this user (null = unassigned).</summary>
    public long? DefaultAssigneeUserId { get; set; }
}
