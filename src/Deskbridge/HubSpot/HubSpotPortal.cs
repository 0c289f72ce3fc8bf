namespace Deskbridge.HubSpot;

/// <summary>Who a HubSpot call is made for: the portal (for per-portal limits and circuit), its token and API host.</summary>
public sealed record HubSpotPortal(long PortalId, string AccessToken, Uri? ApiBaseUrl)
{
    // Never print the token.
    public override string ToString() => $"portal {PortalId}";
}
