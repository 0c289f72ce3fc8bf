namespace Deskbridge.HubSpot;

/// <summary>Who a HubSpot call is made for: the portal (for per-portal limits and circuit), its token and API host.</summary>
public sealed record HubSpotPortal(long PortalId, string AccessToken, Uri? ApiBaseUrl)
{
    /// <summary>
    /// Set for a portal reached through the OAuth app: the organization whose installation's current access token the
    /// app's auth handler puts on each call (refreshing it before it expires and once on a 401). Null: the private-app token.
    /// </summary>
    public Guid? AppInstallation { get; init; }

    // Never print the token.
    public override string ToString() => $"portal {PortalId}";
}
