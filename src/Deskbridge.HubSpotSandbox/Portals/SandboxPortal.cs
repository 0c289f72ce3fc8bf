using Deskbridge.HubSpotSandbox.Auth;

namespace Deskbridge.HubSpotSandbox.Portals;

/// <summary>One HubSpot account of the sandbox: its options and the container holding its state (tokens, limits, CRM,
/// conversations, webhooks). The default portal's container is the application's own.</summary>
public sealed class SandboxPortal(SandboxOptions options, IServiceProvider services, bool isDefault)
{
    public long PortalId => Options.PortalId;

    public SandboxOptions Options { get; } = options;

    public IServiceProvider Services { get; } = services;

    public bool IsDefault { get; } = isDefault;

    public TokenStore Tokens => Services.GetRequiredService<TokenStore>();
}
