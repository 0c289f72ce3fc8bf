namespace Deskbridge.Demo;

public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Null: on unless a real HubSpot token is configured (HubSpot:AccessToken).</summary>
    public bool? Enabled { get; set; }

    /// <summary>Where the in-process HubSpot sandbox listens (so people can write to it as a customer).</summary>
    public string SandboxUrl { get; set; } = "http://127.0.0.1:5099";

    /// <summary>Webhook throttle of the demo app, in requests in flight: HubSpot's default is 10, our setup guide says 100.</summary>
    public int WebhookMaxConcurrentRequests { get; set; } = 100;

    /// <summary>The demo organization's owner, who signs in to the dashboard (the password is printed at start-up).</summary>
    public string OwnerEmail { get; set; } = "demo@deskbridge.local";

    public string OwnerPassword { get; set; } = "Deskbridge-demo-1";
}
