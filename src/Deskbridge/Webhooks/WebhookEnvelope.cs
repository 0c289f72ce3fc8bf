using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Deskbridge.Webhooks;

/// <summary>
/// W3: one event of a HubSpot webhook batch, as much as Deskbridge reads of it. Unknown fields are ignored.
/// An event that breaks a rule of <see cref="WebhookEventRules"/> is still an envelope, with <see cref="Rejection"/> set
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
    private string? dedupKey;

    /// <summary>
    /// W5. Messages keep the seed's <c>${objectId}-${messageId ?? eventId}</c>, and so does conversation.creation (one per
    /// thread). HubSpot's eventId is not unique, so every other event (ticket.propertyChange first of all) is keyed by
    /// what changed and when too: <c>${objectId}-${eventId}-${propertyName}@${occurredAt}#${hash}</c>, where the hash covers
    /// subscriptionType, propertyName, propertyValue and occurredAt. HubSpot's retries re-send identical events, so they
    /// still share a key; two different changes that happen to share an eventId do not. A rejected event gets a key of
    /// its own, so it never hides, or is hidden by, another event.
    /// </summary>
    public string DedupKey => dedupKey ??= Rejection is not null
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

    /// <summary>
    /// Parses a batch. False (a 400 for the whole body) only when the body is not a JSON array of objects; an object
    /// that breaks a rule comes back as a rejected envelope. The error says what is wrong in words a HubSpot admin can act on.
    /// </summary>
    public static bool TryParseBatch(ReadOnlySpan<byte> body, out List<WebhookEnvelope> events, out string? error)
    {
        events = [];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException ex)
        {
            error = $"The body is not valid JSON: {ex.Message}";
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                error = "The body must be a JSON array of events, as HubSpot sends them.";
                return false;
            }

            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    events.Clear();
                    error = $"Event {index}: each event must be a JSON object.";
                    return false;
                }

                events.Add(WebhookEventRules.Read(element));
                index++;
            }
        }

        error = null;
        return true;
    }

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

    /// <summary>The event's bytes as text for the audit copy, with invalid UTF-8 replaced (U+FFFD) rather than thrown on.</summary>
    internal static string SafeRaw(JsonElement element) => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(element));
}
