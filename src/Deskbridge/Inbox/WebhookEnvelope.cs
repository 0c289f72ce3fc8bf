using System.Security.Cryptography;
using System.Text;

namespace Deskbridge.Inbox;

/// <summary>
/// W3: one event of a HubSpot webhook batch, as much as Deskbridge reads of it. Unknown fields are ignored.
/// An event that breaks one of the webhook rules (Webhooks/WebhookEventRules) is still an envelope, with <see cref="Rejection"/> set
/// (W7): it is recorded with a "rejected" fate and its reason, never processed.
/// </summary>
public sealed record WebhookEnvelope(
    string? EventId,
    string SubscriptionType,
    string ObjectId,
    string? MessageId,
    string? MessageType,
    string? PropertyName,
    string? PropertyValue,
    long? OccurredAt,
    int AttemptNumber,
    string Raw,
    long? PortalId = null,
    string? Rejection = null)
{
    private string? _dedupKey;

    /// <summary>
    /// W5. Messages keep the seed's <c>${objectId}-${messageId ?? eventId}</c>, and so does conversation.creation (one per
    /// thread). HubSpot's eventId is not unique, so every other event (ticket.propertyChange first of all) is keyed by
    /// what changed and when too: <c>${objectId}-${eventId}-${propertyName}@${occurredAt}#${hash}</c>, where the hash covers
    /// subscriptionType, propertyName, propertyValue and occurredAt. HubSpot's retries re-send identical events, so they
    /// still share a key; two different changes that happen to share an eventId do not. A rejected event gets a key of
    /// its own, so it never hides, or is hidden by, another event.
    /// </summary>
    public string DedupKey => _dedupKey ??= Rejection is not null
        ? $"rejected:{Guid.NewGuid():N}"
        : SubscriptionType is "conversation.newMessage" or "conversation.creation"
            ? $"{ObjectId}-{MessageId ?? EventId}"
            : $"{ObjectId}-{EventId}-{PropertyName}@{OccurredAt}#{ChangeHash()}";

    /// <summary>Events of one thread (or one ticket) are processed in order; different ones in parallel.</summary>
    public string OrderingKey => SubscriptionType.StartsWith("ticket.", StringComparison.Ordinal)
        ? $"ticket:{ObjectId}"
        : SubscriptionType.StartsWith("conversation.", StringComparison.Ordinal) ? $"thread:{ObjectId}" : $"{SubscriptionType}:{ObjectId}";

    /// <summary>The same event, refused for <paramref name="reason"/> (a new instance: the dedup key is not carried over).</summary>
    public WebhookEnvelope Reject(string reason) =>
        new(EventId, SubscriptionType, ObjectId, MessageId, MessageType, PropertyName, PropertyValue, OccurredAt, AttemptNumber, Raw, PortalId, reason);

    private string ChangeHash()
    {
        var text = new StringBuilder();
        foreach (var part in new[] { SubscriptionType, PropertyName, PropertyValue, OccurredAt?.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            // Length-prefixed, so ("a-b", "c") and ("a", "b-c") hash differently; null differs from "".
            text.Append(part is null ? "-1:" : $"{part.Length}:{part}");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 8));
    }
}
