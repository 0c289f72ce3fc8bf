using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Deskbridge.Knowledge.Import;

/// <summary>
/// Which addresses a knowledge import may fetch. A tenant names the URL and the server fetches it, so without this a tenant
/// could make Deskbridge read its own admin ports, the cloud metadata endpoint (169.254.169.254) or the office network
/// (SSRF). Only public unicast addresses are fetched; loopback only with <see cref="KnowledgeOptions.AllowLoopbackImports"/>.
/// The check runs twice: on the URL when the import is asked for (a clear 400), and on every connection the import's
/// client opens, after DNS, so a name that resolves to a private address later (DNS rebinding) is refused too.
/// </summary>
public sealed class ImportAddressPolicy(IOptions<KnowledgeOptions> options)
{
    /// <summary>Null when the URL may be fetched as far as its form and literal address go; otherwise the reason.</summary>
    public string? UrlProblem(Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return "The address must be an absolute http(s) URL, e.g. https://help.example.com/.";
        }
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return "The address must not carry a user name or password.";
        }
        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(url.DnsSafeHost, out var literal))
        {
            return AddressProblem(literal);
        }
        if (url.IsLoopback || url.DnsSafeHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return options.Value.AllowLoopbackImports ? null : PrivateMessage;
        }
        return null;
    }

    /// <summary>Resolves the host and checks every address it has (the API answers 400 before anything is fetched).</summary>
    public async Task<string?> ResolvedProblemAsync(Uri url, CancellationToken ct)
    {
        if (UrlProblem(url) is { } problem)
        {
            return problem;
        }
        if (IPAddress.TryParse(url.DnsSafeHost, out _) || url.IsLoopback)
        {
            return null;
        }
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(url.DnsSafeHost, ct);
        }
        catch (SocketException)
        {
            return $"The host {url.DnsSafeHost} could not be found.";
        }
        return addresses.Length == 0 ? $"The host {url.DnsSafeHost} could not be found." : addresses.Select(AddressProblem).FirstOrDefault(p => p is not null);
    }

    public string? AddressProblem(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return options.Value.AllowLoopbackImports ? null : PrivateMessage;
        }
        return IsPublic(address) ? null : PrivateMessage;
    }

    private const string PrivateMessage =
        "The address is on a private, loopback or link-local network; knowledge is imported from public web sites only.";

    /// <summary>The connect step of the import client: resolve, refuse non-public addresses, connect to an allowed one.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(a => AddressProblem(a) is null).ToList();
        if (allowed.Count == 0 || allowed.Count != addresses.Length)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"{host}: {PrivateMessage}");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync([.. allowed], context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)               // link-local, cloud metadata
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)    // IETF protocol assignments
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) // benchmarking
                || b[0] >= 224);                               // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Loopback)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xfe) == 0xfc                      // unique local fc00::/7
                || address.IsIPv6Teredo || address.IsIPv4MappedToIPv6);
        }
        return false;
    }
}
