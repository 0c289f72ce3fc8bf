using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Deskbridge.Signatures;

/// <summary>
/// S7 at reply time. The sending address is the thread's channel account (the inbox address HubSpot sends the reply
/// from), not whatever alias the customer wrote to. It is read once per (portal, channel account) and cached, so a
/// reply costs no extra HubSpot call after the first; organizations without signatures never ask.
/// </summary>
public sealed class ReplySignatures(DeskbridgeDb db, HubSpotClient hubSpot, IMemoryCache cache)
{
    public static readonly TimeSpan AddressCacheDuration = TimeSpan.FromHours(1);

    public async Task<ReplySignature?> ForReplyAsync(ProcessingContext context, HubSpotMessage customerMessage, CancellationToken ct)
    {
        if (customerMessage.ChannelId != HubSpotChannels.EmailId)
        {
            return null;
        }
        var signatures = await db.EmailSignatures.AsNoTracking().Where(s => s.OrganizationId == context.Organization.Id).ToListAsync(ct);
        if (signatures.Count == 0)
        {
            return null;
        }
        var address = await SendingAddressAsync(context.Portal, customerMessage, ct);
        return SignatureMatcher.Match(signatures, address) is { } match
            ? new ReplySignature(match.Html, SignatureText.FromHtml(match.Html))
            : null;
    }

    public async Task<string?> SendingAddressAsync(HubSpotPortal portal, HubSpotMessage customerMessage, CancellationToken ct)
    {
        if (customerMessage.ChannelAccountId is not { } accountId)
        {
            return InboxAddressFrom(customerMessage);
        }
        var key = (nameof(ReplySignatures), portal.PortalId, accountId);
        if (cache.TryGetValue(key, out string? cached))
        {
            return cached;
        }
        var account = await hubSpot.GetChannelAccountAsync(portal, accountId, ct);
        if (account.Value?.DeliveryIdentifier?.Value is { Length: > 0 } address)
        {
            cache.Set(key, address, AddressCacheDuration);
            return address;
        }
        // Not cached: HubSpot could not tell us now (scope, outage); the address the customer wrote to is close enough.
        return InboxAddressFrom(customerMessage);
    }

    private static string? InboxAddressFrom(HubSpotMessage message) =>
        message.Recipients?
            .Where(r => r.RecipientField is null or "TO")
            .SelectMany(r => r.DeliveryIdentifiers ?? (r.DeliveryIdentifier is { } d ? [d] : []))
            .FirstOrDefault(d => d.Type == "HS_EMAIL_ADDRESS")?.Value;
}

/// <param name="Html">Sanitized when it was saved.</param>
public sealed record ReplySignature(string Html, string Text);
