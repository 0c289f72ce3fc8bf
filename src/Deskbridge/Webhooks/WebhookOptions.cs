namespace Deskbridge.Webhooks;

public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Key that signs webhook URLs (W1). When empty, one is generated once and kept in the database.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>How long the previous URL keeps working after a rotation.</summary>
    public TimeSpan PreviousUrlGracePeriod { get; set; } = TimeSpan.FromHours(24);

    /// <summary>HubSpot sends at most 100 events per request, well under this.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>W6: HubSpot's v3 signature is rejected when its timestamp is older than this.</summary>
    public TimeSpan SignatureMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The public address HubSpot calls (scheme and host, e.g. https://deskbridge.example.com). Used to show
    /// webhook URLs and to verify v3 signatures behind a proxy; the request's own address when empty.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}
