namespace Deskbridge.HubSpotApp;

/// <summary>
/// The operator's HubSpot public app (OAuth): its client id and secret from the app's Auth settings, its app id, and
/// optionally the redirect URL registered there (default: the public base URL + <c>hubspot/oauth/callback</c>) and the
/// scopes asked for (default: the required scopes, S4). Unset, the dashboard offers only the private-app path.
/// </summary>
public sealed class HubSpotAppOptions { public const string Section = "HubSpot:App"; public string? ClientId { get; set; } public string? ClientSecret { get; set; } public long AppId { get; set; } public string? RedirectUri { get; set; } public string[] Scopes { get; set; } = []; public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret); }
