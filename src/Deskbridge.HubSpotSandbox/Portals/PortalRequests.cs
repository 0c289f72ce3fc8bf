using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.HubSpotSandbox.RateLimiting;

namespace Deskbridge.HubSpotSandbox.Portals;

public sealed record PortalSubscription(string? EventType, string? PropertyName = null);

/// <summary>A new portal; every field is optional and the rest comes from the default portal's settings, with ids of its own.
/// <paramref name="Tokens"/> adds private-app tokens with chosen scopes beside the portal's seeded token (which has Deskbridge's scopes).
/// <paramref name="Subscriptions"/> replaces the demo subscriptions (created when a webhook target is set).</summary>
public sealed record PortalCreate(
    long? PortalId = null,
    string? Region = null,
    long? AppId = null,
    string? ClientSecret = null,
    long? AiUserId = null,
    long? HumanUserId = null,
    string? InboxName = null,
    string? SupportEmailAddress = null,
    string? WebhookTargetUrl = null,
    IReadOnlyList<PortalSubscription>? Subscriptions = null,
    long? DefaultAssigneeUserId = null,
    RateLimitUpdate? RateLimits = null,
    IReadOnlyList<CreateTokenRequest>? Tokens = null);

/// <summary>What a portal is, with its credentials: the sandbox is a test double, its secrets are not secrets.</summary>
public sealed record PortalView(
    long PortalId, string Region, long AppId, string ClientSecret, string AccessToken, IReadOnlyList<TokenView> Tokens,
    long AiUserId, long HumanUserId, string InboxId, string ChatChannelAccountId, string EmailChannelAccountId,
    string? WebhookTargetUrl, long? DefaultAssigneeUserId, RateLimitSettings RateLimits, string AdminPath);
