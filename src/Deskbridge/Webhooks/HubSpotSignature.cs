using System.Security.Cryptography;
using System.Text;

namespace Deskbridge.Webhooks;

/// <summary>W6: HubSpot's v3 request signature (HMAC-SHA256 over method, URI, body and timestamp).</summary>
public static class HubSpotSignature
{
    // HubSpot decodes these escapes in the URI before signing.
    private static readonly (string Escaped, string Plain)[] DecodedEscapes =
    [
        ("%3A", ":"), ("%2F", "/"), ("%3F", "?"), ("%40", "@"), ("%21", "!"), ("%24", "$"),
        ("%27", "'"), ("%28", "("), ("%29", ")"), ("%2A", "*"), ("%2C", ","), ("%3B", ";"),
    ];

    public static string ComputeV3(string clientSecret, string method, string uri, ReadOnlySpan<byte> body, string timestamp)
    {
        var decodedUri = uri;
        foreach (var (escaped, plain) in DecodedEscapes)
        {
            decodedUri = decodedUri.Replace(escaped, plain, StringComparison.OrdinalIgnoreCase);
        }

        var prefix = Encoding.UTF8.GetBytes(method + decodedUri);
        var suffix = Encoding.UTF8.GetBytes(timestamp);
        var data = new byte[prefix.Length + body.Length + suffix.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        suffix.CopyTo(data, prefix.Length + body.Length);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), data));
    }

    public static SignatureCheck VerifyV3(
        string clientSecret, string method, string uri, ReadOnlySpan<byte> body,
        string? signature, string? timestamp, DateTimeOffset now, TimeSpan maxAge)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp))
        {
            return SignatureCheck.Fail("X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp is missing");
        }
        // Digits only (no sign, spaces or exponent), and a number a clock can hold: anything else is refused, never thrown on.
        if (timestamp.Length > 19 || !timestamp.All(char.IsAsciiDigit) ||
            !long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var millis))
        {
            return SignatureCheck.Fail("X-HubSpot-Request-Timestamp is not a whole number of epoch milliseconds");
        }
        if (millis > WebhookEventRules.MaxEpochMilliseconds)
        {
            return SignatureCheck.Fail($"the request timestamp is outside the {maxAge.TotalMinutes:0}-minute window");
        }
        var age = now - DateTimeOffset.FromUnixTimeMilliseconds(millis);
        if (age > maxAge || age < -maxAge)
        {
            return SignatureCheck.Fail($"the request timestamp is outside the {maxAge.TotalMinutes:0}-minute window");
        }

        var expected = Encoding.ASCII.GetBytes(ComputeV3(clientSecret, method, uri, body, timestamp));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? SignatureCheck.Valid
            : SignatureCheck.Fail("X-HubSpot-Signature-v3 does not match the body signed with the client secret");
    }
}

public readonly record struct SignatureCheck(bool IsValid, string? Problem)
{
    public static SignatureCheck Valid => new(true, null);

    public static SignatureCheck Fail(string problem) => new(false, problem);
}
