namespace Deskbridge.HubSpotSandbox.RateLimiting;

/// <summary>Private-app limits; changeable at runtime through the admin API.</summary>
public sealed record RateLimitSettings(int RequestsPer10Seconds, int SearchRequestsPerSecond, int DailyRequestLimit);
