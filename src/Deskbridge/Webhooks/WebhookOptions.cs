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
    /// Deskbridge's public address (scheme and host, e.g. https://deskbridge.example.com): the one setting behind the
    /// webhook URLs HubSpot calls, v3 signature checks behind a proxy, and the session links in handoff notes. When
    /// empty, webhook URLs use the request's own address and session links <see cref="LocalFallback"/>.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    public static readonly Uri LocalFallback = new("http://localhost:5000/");

    /// <summary>Where people open Deskbridge, for links written into HubSpot.</summary>
    public Uri PublicBaseOrFallback => PublicBaseUrl ?? LocalFallback;
}
