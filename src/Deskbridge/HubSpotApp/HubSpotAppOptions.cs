namespace Deskbridge.HubSpotApp;

public sealed class HubSpotAppOptions { public const string Section = "HubSpot:App"; public string? ClientId { get; set; } public string? ClientSecret { get; set; } public long AppId { get; set; } public string? RedirectUri { get; set; } public string[] Scopes { get; set; } = []; public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret); }
