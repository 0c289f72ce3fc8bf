using System.Security.Cryptography;
using System.Text;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Webhooks;

/// <summary>
/// W1: an organization's webhook URL is <c>/webhooks/hubspot/{organizationId}/{generation}.{hmac}</c>, signed with a
/// server secret. Knowing the URL is the credential; a tampered one fails the HMAC check.
/// </summary>
public sealed class WebhookUrlSigner
{
    private const string SecretName = "webhook-url-signing-key";
    private readonly byte[] _key;

    private WebhookUrlSigner(byte[] key) => _key = key;

    /// <summary>Resolved after migrations have run (first use), so the key can be kept in the database.</summary>
    public static WebhookUrlSigner Create(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<WebhookOptions>>().Value.SigningSecret;
        if (!string.IsNullOrEmpty(configured))
        {
            return new WebhookUrlSigner(Encoding.UTF8.GetBytes(configured));
        }

        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var stored = db.ServerSecrets.AsNoTracking().SingleOrDefault(s => s.Name == SecretName);
        if (stored is null)
        {
            stored = new ServerSecret { Name = SecretName, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
            db.ServerSecrets.Add(stored);
            try
            {
                db.SaveChanges();
            }
            catch (DbUpdateException)
            {
                // Another instance on the same database stored its key first: every instance must sign with that one.
                db.ChangeTracker.Clear();
                stored = db.ServerSecrets.AsNoTracking().Single(s => s.Name == SecretName);
            }
        }
        return new WebhookUrlSigner(Convert.FromBase64String(stored.Value));
    }

    public string PathFor(Guid organizationId, int generation) =>
        $"/webhooks/hubspot/{organizationId:N}/{generation}.{Sign(organizationId, generation)}";

    /// <summary>Checks the signature; the caller checks that the generation is still accepted.</summary>
    public bool TryVerify(string organizationId, string token, out Guid organization, out int generation)
    {
        organization = Guid.Empty;
        generation = 0;
        // One spelling per URL: lower-case hex id, generation in plain digits ("01.", "+1." or " 1." would otherwise sign
        // as generation 1 and be accepted as a second URL).
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || organizationId.Length != 32 || !organizationId.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f') ||
            !Guid.TryParseExact(organizationId, "N", out organization))
        {
            return false;
        }
        var digits = token.AsSpan(0, dot);
        if ((digits.Length > 1 && digits[0] == '0') || digits.ContainsAnyExceptInRange('0', '9') ||
            !int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out generation))
        {
            organization = Guid.Empty;
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(organization, generation));
        var given = Encoding.ASCII.GetBytes(token[(dot + 1)..]);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private string Sign(Guid organizationId, int generation)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"deskbridge-webhook:{organizationId:N}:{generation}"));
        return Base64Url(mac);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
