using System.Security.Cryptography;
using System.Text;

namespace Deskbridge.HubSpotSandbox.Webhooks;

/// <summary>HubSpot's webhook signatures. v3: base64(HMAC-SHA256(clientSecret, METHOD + uri + body + timestamp));
/// v1: hex(SHA-256(clientSecret + body)).</summary>
public static class WebhookSigner
{
    // HubSpot signs the URI with these escapes decoded, and tells receivers to decode the same ones.
    private static readonly (string Encoded, string Decoded)[] UriDecodings =
    [
        ("%3A", ":"), ("%2F", "/"), ("%3F", "?"), ("%40", "@"), ("%21", "!"), ("%24", "$"),
        ("%27", "'"), ("%28", "("), ("%29", ")"), ("%2A", "*"), ("%2C", ","), ("%3B", ";"),
    ];

    public static string DecodeUri(string uri)
    {
        foreach (var (encoded, decoded) in UriDecodings)
        {
            uri = uri.Replace(encoded, decoded, StringComparison.OrdinalIgnoreCase);
        }

        return uri;
    }

    public static string SignatureV3(string clientSecret, string method, string uri, string body, string timestamp)
    {
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(method + DecodeUri(uri) + body + timestamp));
        return Convert.ToBase64String(hash);
    }

    public static string SignatureV1(string clientSecret, string body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientSecret + body)));
}
