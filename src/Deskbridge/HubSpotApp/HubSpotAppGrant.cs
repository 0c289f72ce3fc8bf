namespace Deskbridge.HubSpotApp;

/// <summary>
/// An organization's installation of the operator's public app: the OAuth tokens (encrypted with Data Protection, like
/// the private-app token), when the access token expires, and the refresh claim that lets one instance at a time refresh
/// it. Times are epoch milliseconds so that SQLite can compare them in SQL.
/// </summary>
public sealed class HubSpotAppGrant
{
    public Guid OrganizationId { get; set; }
    public long PortalId { get; set; }
    public required string EncryptedAccessToken { get; set; }
    public required string EncryptedRefreshToken { get; set; }
    public long AccessTokenIssuedAtMs { get; set; }
    public long AccessTokenExpiresAtMs { get; set; }

    /// <summary>Counts refreshes; a refresh writes only if the generation it read is still the stored one.</summary>
    public int Generation { get; set; }

    /// <summary>Until when one instance holds the right to refresh (0: nobody); another waits or uses the still-valid token.</summary>
    public long RefreshClaimedUntilMs { get; set; }

    /// <summary>The HubSpot user who installed the app (the grant's user_id) and the Deskbridge person who started it.</summary>
    public long InstalledByHubSpotUserId { get; set; }
    public string? InstalledByPersonId { get; set; }
    public string Scopes { get; set; } = "";
    public DateTimeOffset InstalledAt { get; set; }
}

/// <summary>The single-use part of an install's state parameter: deleted when the callback comes back with it.</summary>
public sealed class HubSpotAppInstallState
{
    public required string Nonce { get; set; }
    public Guid OrganizationId { get; set; }
    public required string PersonId { get; set; }
    public long ExpiresAtMs { get; set; }
}

/// <summary>An app webhook event Deskbridge refused because no organization has the app installed in its portal (O1 for the app).</summary>
public sealed class UnroutedAppEvent
{
    public long Id { get; set; }
    public long? PortalId { get; set; }
    public long? EventId { get; set; }
    public string? SubscriptionType { get; set; }
    public required string Reason { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}
