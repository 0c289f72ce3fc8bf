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

    /// <summary>Added to every id the portal seeds or generates (owners, inbox, channel accounts, CRM records, threads), so
    /// an id of one portal never names an object of another, as HubSpot's ids are unique across accounts. 0 for the
    /// default portal (its ids stay the documented ones); each portal created later gets a multiple of 1,000,000.</summary>
    public long IdOffset { get; set; }

    /// <summary>Whether the sample CRM records (Ada, Northwind, …) are seeded. Portals created through the admin API start
    /// without them, like a fresh account.</summary>
    public bool SeedSampleRecords { get; set; } = true;

    public string InboxName { get; set; } = "Demo Shop Support";

    /// <summary>The email channel account's address; owners' emails use its domain.</summary>
    public string SupportEmailAddress { get; set; } = SeedData.SupportEmailAddress;

    /// <summary>The subscriptions created when <see cref="WebhookTargetUrl"/> is set; null: the demo ones. Set for portals created
    /// through the admin API (not bound from configuration).</summary>
    internal IReadOnlyList<(string EventType, string? PropertyName)>? Subscriptions { get; set; }

    /// <summary>A copy for another portal: every setting, so the caller changes only what differs.</summary>
    public SandboxOptions Clone() => (SandboxOptions)MemberwiseClone();
}
