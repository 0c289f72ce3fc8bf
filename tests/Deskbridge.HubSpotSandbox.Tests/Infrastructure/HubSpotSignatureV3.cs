using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Deskbridge.HubSpotSandbox.Tests.Infrastructure;

/// <summary>Independent implementation of HubSpot's documented v3 check (not the sandbox's code):
/// reject timestamps older than 5 minutes; decode the listed %XX sequences in the URI;
/// base64(HMAC-SHA256(secret, method + uri + body + timestamp)); compare in constant time.</summary>
public static class HubSpotSignatureV3
{
    public const long MaxAllowedTimestampMs = 300_000;

    private static readonly (string Encoded, string Decoded)[] UriDecodings =
    [
        ("%3A", ":"), ("%2F", "/"), ("%3F", "?"), ("%40", "@"), ("%21", "!"), ("%24", "$"),
        ("%27", "'"), ("%28", "("), ("%29", ")"), ("%2A", "*"), ("%2C", ","), ("%3B", ";"),
    ];

    public static bool IsValid(string signature, string clientSecret, string method, string uri, string body, string timestamp, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts) || now.ToUnixTimeMilliseconds() - ts > MaxAllowedTimestampMs)
        {
            return false;
        }

        var decodedUri = uri;
        foreach (var (encoded, decoded) in UriDecodings)
        {
            decodedUri = decodedUri.Replace(encoded, decoded, StringComparison.OrdinalIgnoreCase);
        }

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(clientSecret));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(method + decodedUri + body + timestamp)));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(signature));
    }
}
