namespace Deskbridge.WorkflowActions;

/// <summary>
/// U3 operator settings. The app itself (id, client secret) is <see cref="HubSpotApp.HubSpotAppOptions"/>; the developer
/// API key is what HubSpot's definitions API takes (<c>?hapikey=</c>), the client secret what signs each execution.
/// </summary>
public sealed class WorkflowActionsOptions
{
    public const string Section = "HubSpot:WorkflowActions";

    /// <summary>The developer account's API key for the definitions API; without it definitions are not synced.</summary>
    public string? DeveloperApiKey { get; set; }

    /// <summary>Where the definitions API is; default <c>HubSpot:BaseUrl</c> (the sandbox's address in local runs).</summary>
    public Uri? ApiBaseUrl { get; set; }

    /// <summary>Scheme and host HubSpot calls the action URLs on; default <c>Webhooks:PublicBaseUrl</c>.</summary>
    public Uri? ActionBaseUrl { get; set; }

    /// <summary>Sync the definitions once at start-up (when the app and the key are configured).</summary>
    public bool SyncAtStartup { get; set; } = true;

    /// <summary>Published definitions are visible to every portal that installs the app; unpublished only in the developer's test portals.</summary>
    public bool Published { get; set; } = true;

    /// <summary>An execution whose claim is older than this without an answer is taken over by HubSpot's next retry (a crashed instance).</summary>
    public TimeSpan StaleClaimAfter { get; set; } = TimeSpan.FromMinutes(2);
}
