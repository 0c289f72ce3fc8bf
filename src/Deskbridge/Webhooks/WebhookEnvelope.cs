using System.Text.Json;

namespace Deskbridge.Webhooks;

/// <summary>W3: one event of a HubSpot webhook batch, as much as Deskbridge reads of it. Unknown fields are ignored.</summary>
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
    string Raw)
{
    /// <summary>W5.</summary>
    public string DedupKey => $"{ObjectId}-{MessageId ?? EventId}";

    /// <summary>Events of one thread (or one ticket) are processed in order; different ones in parallel.</summary>
    public string OrderingKey => SubscriptionType.StartsWith("ticket.", StringComparison.Ordinal)
        ? $"ticket:{ObjectId}"
        : SubscriptionType.StartsWith("conversation.", StringComparison.Ordinal) ? $"thread:{ObjectId}" : $"{SubscriptionType}:{ObjectId}";

    /// <summary>Parses a batch; the error says what is wrong in words a HubSpot admin can act on.</summary>
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
                if (!TryParseEvent(element, out var envelope, out error))
                {
                    error = $"Event {index}: {error}";
                    return false;
                }
                events.Add(envelope!);
                index++;
            }
        }

        error = null;
        return true;
    }

    private static bool TryParseEvent(JsonElement element, out WebhookEnvelope? envelope, out string? error)
    {
        envelope = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "each event must be a JSON object.";
            return false;
        }

        var subscriptionType = Text(element, "subscriptionType") ?? Text(element, "eventType");
        if (string.IsNullOrWhiteSpace(subscriptionType))
        {
            error = "subscriptionType is missing.";
            return false;
        }
        var objectId = Text(element, "objectId");
        if (string.IsNullOrWhiteSpace(objectId))
        {
            error = "objectId is missing.";
            return false;
        }

        var attempt = element.TryGetProperty("attemptNumber", out var a) && a.ValueKind == JsonValueKind.Number && a.TryGetInt32(out var n) ? n : 0;
        var occurredAt = element.TryGetProperty("occurredAt", out var o) && o.ValueKind == JsonValueKind.Number && o.TryGetInt64(out var t) ? t : (long?)null;
        envelope = new WebhookEnvelope(
            Text(element, "eventId"), subscriptionType, objectId, Text(element, "messageId"), Text(element, "messageType"),
            Text(element, "propertyName"), Text(element, "propertyValue"), occurredAt, attempt, element.GetRawText());
        error = null;
        return true;
    }

    // HubSpot sends ids as numbers in some events and strings in others; both mean the same.
    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        } : null;
}
