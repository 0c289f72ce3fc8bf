using Microsoft.Extensions.Options;

namespace Deskbridge.Organizations;

/// <summary>
/// Which HubSpot API addresses a tenant may pick. The address is the operator's (HubSpot:BaseUrl): a tenant-chosen one
/// would make the server send the tenant's token to any host it names (SSRF). Only the operator can allow another one.
/// </summary>
public sealed class HubSpotAddressOptions
{
    /// <summary>Bound from the HubSpot section next to HubSpot:BaseUrl.</summary>
    public const string SectionName = "HubSpot";

    /// <summary>Base URLs (scheme, host and port compared) a tenant may set as its API address, e.g. a shared sandbox.</summary>
    public List<string> AllowedTenantBaseUrls { get; set; } = [];

    /// <summary>
    /// Lets a tenant pick any http(s) address on this machine's loopback (127.0.0.0/8, ::1, localhost): for local work and
    /// tests, where the sandbox listens on a port chosen at start. Off by default: loopback hosts other services too.
    /// </summary>
    public bool AllowLoopbackTenantBaseUrls { get; set; }
}

public sealed class HubSpotAddressPolicy(IOptions<HubSpotAddressOptions> options)
{
    private readonly Lock _gate = new();
    private readonly List<Uri> _registered = [];

    /// <summary>Operator code (the demo) allows the sandbox it started itself.</summary>
    public void Allow(Uri baseUrl)
    {
        lock (_gate)
        {
            _registered.Add(baseUrl);
        }
    }

    /// <summary>Null when the address may be used; otherwise the reason, for the apiBaseUrl field.</summary>
    public string? Problem(string? apiBaseUrl)
    {
        if (string.IsNullOrWhiteSpace(apiBaseUrl))
        {
            return null;
        }
        if (!Uri.TryCreate(apiBaseUrl.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return "The API address must be an absolute http(s) URL, e.g. http://127.0.0.1:5099/.";
        }
        if (!string.IsNullOrEmpty(url.UserInfo) || url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            return "The API address must not carry a user name, query or fragment.";
        }
        if (IsAllowed(url))
        {
            return null;
        }
        return "This server talks to HubSpot at the address its operator configured; it does not accept other API addresses. " +
            "Leave the field empty (an operator may allow a sandbox address with HubSpot:AllowedTenantBaseUrls).";
    }

    private bool IsAllowed(Uri url)
    {
        var settings = options.Value;
        if (settings.AllowLoopbackTenantBaseUrls && IsLoopback(url))
        {
            return true;
        }
        List<Uri> allowed;
        lock (_gate)
        {
            allowed = [.. _registered];
        }
        allowed.AddRange(settings.AllowedTenantBaseUrls.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var parsed) ? parsed : null).OfType<Uri>());
        return allowed.Any(a => Uri.Compare(a, url, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
            && url.AbsolutePath.StartsWith(a.AbsolutePath, StringComparison.Ordinal));
    }

    // Uri.IsLoopback: "localhost" and loopback IP literals only; other host names could resolve anywhere.
    private static bool IsLoopback(Uri url) => url.IsLoopback;
}
