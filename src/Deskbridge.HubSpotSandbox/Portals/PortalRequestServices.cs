namespace Deskbridge.HubSpotSandbox.Portals;

/// <summary>
/// A request's services when it is for a portal other than the default one: the portal's own state for the types every
/// portal keeps (<see cref="SandboxApplication.AddPortalState"/>), the application's for everything else (JSON options,
/// logging, the portal registry). Endpoints and middleware resolve their stores per request, so they serve whichever
/// portal the request selected without knowing about portals.
/// </summary>
internal sealed class PortalRequestServices(IServiceProvider portal, IServiceProvider application, IReadOnlySet<Type> portalTypes) : IServiceProvider
{
    public object? GetService(Type serviceType) =>
        portalTypes.Contains(serviceType) ? portal.GetService(serviceType) : application.GetService(serviceType);
}
