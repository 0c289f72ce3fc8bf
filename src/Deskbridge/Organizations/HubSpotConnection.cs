namespace Deskbridge.Organizations;

/// <summary>An organization's link to one HubSpot portal. Secrets are stored encrypted (Data Protection).</summary>
public sealed class HubSpotConnection
{
    public Guid OrganizationId { get; set; }
    public required string EncryptedAccessToken { get; set; }
    public required string TokenLast4 { get; set; }
    public string? EncryptedClientSecret { get; set; }
    public long PortalId { get; set; }
    public string Region { get; set; } = "na1";

    /// <summary>The HubSpot user the AI answers as (a plain number; we add "A-").</summary>
    public long DefaultUserId { get; set; }

    /// <summary>Null for HubSpot itself; the sandbox's address when the organization runs against it.</summary>
    public string? ApiBaseUrl { get; set; }

    public DateTimeOffset ConnectedAt { get; set; }
    public string? MissingScopes { get; set; }

    /// <summary>When the token was last checked against HubSpot (save or re-test) and found valid (S8, O2).</summary>
    public DateTimeOffset? LastVerifiedAt { get; set; }

    public string AiActorId => $"A-{DefaultUserId}";
}
