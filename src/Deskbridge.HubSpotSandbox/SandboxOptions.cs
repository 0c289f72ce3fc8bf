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
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);

    // HubSpot spreads 10 retries over 24 h; scaled down here so local runs see retries quickly.
    public TimeSpan WebhookRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries after the first attempt.</summary>
    public int WebhookMaxAttempts { get; set; } = 10;

    /// <summary>HubSpot's default throttle; settable to 100+ via the webhook settings.</summary>
    public int WebhookEventsPerSecond { get; set; } = 10;

    /// <summary>When set at start, the demo subscriptions are created pointing here.</summary>
    public string? WebhookTargetUrl { get; set; }

    /// <summary>Inbox routing: new customer threads are assigned to this user (null = unassigned).</summary>
    public long? DefaultAssigneeUserId { get; set; }
}
