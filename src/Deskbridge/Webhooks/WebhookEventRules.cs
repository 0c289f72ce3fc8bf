using System.Globalization;
using System.Text.Json;
using Deskbridge.Inbox;

namespace Deskbridge.Webhooks;

/// <summary>
/// W3/W7: what an event must look like to be stored as valid. HubSpot always sends eventId, portalId, occurredAt,
/// subscriptionType and objectId; ids are whole numbers (as numbers or digit strings); every string must be real text.
/// Anything else is rejected with the rule it broke, so "why didn't the AI reply?" has an answer for it too.
/// </summary>
public static class WebhookEventRules
{
    public const int MaxSubscriptionTypeLength = 64;
    public const int MaxMessageIdLength = 128;
    public const int MaxShortTextLength = 64;
    public const int MaxPropertyNameLength = 256;

    /// <summary>HubSpot's own limit for a property value.</summary>
    public const int MaxPropertyValueLength = 65_536;

    /// <summary>Epoch milliseconds of 9999-12-31, the last instant a DateTimeOffset can hold.</summary>
    public const long MaxEpochMilliseconds = 253_402_300_799_999;

    public const int MaxAttemptNumber = 1_000;

    private static readonly string[] Fields =
    [
        "eventId", "subscriptionId", "portalId", "appId", "occurredAt", "subscriptionType", "eventType", "attemptNumber", "objectId",
        "changeSource", "sourceId", "messageId", "messageType", "changeFlag", "propertyName", "propertyValue",
    ];

    public static WebhookEnvelope Read(JsonElement element)
    {
        var problem = Check(element);
        if (problem is not null)
        {
            return Partial(element).Reject(problem);
        }

        var subscriptionType = Text(element, "subscriptionType") ?? Text(element, "eventType")!;
        var envelope = new WebhookEnvelope(
            Id(element, "eventId"), subscriptionType, Id(element, "objectId")!, Text(element, "messageId"), Text(element, "messageType"),
            Text(element, "propertyName"), Text(element, "propertyValue"), Number(element, "occurredAt"),
            (int)(Number(element, "attemptNumber") ?? 0), element.GetRawText(), Number(element, "portalId"));
        return envelope;
    }

    /// <summary>The first rule the event breaks, or null.</summary>
    private static string? Check(JsonElement element)
    {
        // Strings first: a lone surrogate or invalid UTF-8 anywhere (field names too) makes the event unreadable.
        if (BadText(element) is { } where)
        {
            return $"{where} is not valid text (invalid UTF-8 or a lone surrogate).";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(Fields, property.Name) >= 0 && !seen.Add(property.Name))
            {
                return $"{property.Name} appears more than once.";
            }
        }

        if (seen.Contains("subscriptionType") && seen.Contains("eventType"))
        {
            return "subscriptionType and eventType are both present.";
        }

        var subscriptionType = Field(element, "subscriptionType") ?? Field(element, "eventType");
        return Required(element, "eventId", value => WholeNumber(value, "eventId"))
            ?? (subscriptionType is { } type ? SubscriptionType(type) : "subscriptionType is missing.")
            ?? Required(element, "objectId", value => WholeNumber(value, "objectId"))
            ?? Required(element, "portalId", value => WholeNumber(value, "portalId"))
            ?? Required(element, "occurredAt", value => Bounded(value, "occurredAt", MaxEpochMilliseconds))
            ?? Optional(element, "subscriptionId", value => WholeNumber(value, "subscriptionId"))
            ?? Optional(element, "appId", value => WholeNumber(value, "appId"))
            ?? Optional(element, "attemptNumber", value => Bounded(value, "attemptNumber", MaxAttemptNumber))
            ?? Optional(element, "messageId", value => ShortText(value, "messageId", MaxMessageIdLength))
            ?? Optional(element, "messageType", value => ShortText(value, "messageType", MaxShortTextLength))
            ?? Optional(element, "changeFlag", value => ShortText(value, "changeFlag", MaxShortTextLength))
            ?? Optional(element, "changeSource", value => ShortText(value, "changeSource", MaxShortTextLength))
            ?? Optional(element, "propertyName", value => ShortText(value, "propertyName", MaxPropertyNameLength))
            ?? Optional(element, "propertyValue", PropertyValue)
            ?? (subscriptionType?.GetString() == "conversation.newMessage" && Field(element, "messageId") is null
                ? "messageId is missing (conversation.newMessage names the message to read back)."
                : null);
    }

    private static string? SubscriptionType(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return "subscriptionType must be a string.";
        }

        var text = value.GetString()!;
        if (text.Length == 0)
        {
            return "subscriptionType is missing.";
        }

        if (text.Length > MaxSubscriptionTypeLength)
        {
            return $"subscriptionType is longer than the limit of {MaxSubscriptionTypeLength} characters.";
        }

        // HubSpot's types are object.event names (conversation.newMessage, p_custom.propertyChange).
        return text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_') && text.Contains('.', StringComparison.Ordinal)
            ? null
            : "subscriptionType must look like object.event (letters, digits, '_' and '.').";
    }

    private static string? Required(JsonElement element, string name, Func<JsonElement, string?> rule) =>
        Field(element, name) is { } value ? rule(value) : $"{name} is missing.";

    private static string? Optional(JsonElement element, string name, Func<JsonElement, string?> rule) =>
        Field(element, name) is { } value ? rule(value) : null;

    /// <summary>A present, non-null field (null counts as absent).</summary>
    private static JsonElement? Field(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A non-negative whole number that fits in 64 bits, as a JSON number or a string of digits.</summary>
    private static string? WholeNumber(JsonElement value, string name) => ParseWholeNumber(value) is null
        ? $"{name} must be a whole number from 0 to {long.MaxValue}, given {Describe(value)}."
        : null;

    private static string? Bounded(JsonElement value, string name, long max) =>
        ParseWholeNumber(value) is { } number && number <= max ? null : $"{name} must be a whole number from 0 to {max}, given {Describe(value)}.";

    private static string? ShortText(JsonElement value, string name, int max)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return text is null ? $"{name} must be a string."
            : text.Length > max ? $"{name} is longer than the limit of {max} characters."
            : null;
    }

    private static string? PropertyValue(JsonElement value) =>
        value.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? "propertyValue must be a string, number or boolean."
        : (value.ValueKind == JsonValueKind.String ? value.GetString()!.Length : value.GetRawText().Length) > MaxPropertyValueLength
            ? $"propertyValue is longer than the limit of {MaxPropertyValueLength} characters."
            : null;

    private static long? ParseWholeNumber(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };

        // Digits only: no sign, exponent, fraction or spaces; no leading zeros (an id has one spelling, so one dedup key).
        if (string.IsNullOrEmpty(text) || text.Length > 19 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0'))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    private static string Describe(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length > 40 ? raw[..40] + "…" : raw;
    }

    /// <summary>The top-level field whose name or value (at any depth) does not decode to valid UTF-16, or null.</summary>
    private static string? BadText(JsonElement element)
    {
        foreach (var property in element.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException)
            {
                return "A field name";
            }

            if (!IsValidUtf16(name))
            {
                return "A field name";
            }

            if (!IsText(property.Value))
            {
                return name;
            }
        }

        return null;
    }

    private static bool IsText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    return IsValidUtf16(element.GetString()!);
                }
                catch (InvalidOperationException)
                {
                    // System.Text.Json refuses to decode invalid UTF-8 and unpaired surrogate escapes.
                    return false;
                }

            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!IsText(item))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                return BadText(element) is null;
            default:
                return true;
        }
    }

    private static bool IsValidUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What can be read of a rejected event for its row in the event log: short, safe text, never a throw.</summary>
    private static WebhookEnvelope Partial(JsonElement element)
    {
        string? Safe(string name, int max)
        {
            try
            {
                var text = Text(element, name);
                return text is null || !IsValidUtf16(text) ? null : text.Length > max ? text[..max] : text;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }

        return new WebhookEnvelope(
            Safe("eventId", 40), Safe("subscriptionType", MaxSubscriptionTypeLength) ?? Safe("eventType", MaxSubscriptionTypeLength) ?? "",
            Safe("objectId", 40) ?? "", Safe("messageId", MaxMessageIdLength), Safe("messageType", MaxShortTextLength),
            Safe("propertyName", MaxPropertyNameLength), Safe("propertyValue", 1_000), null, 0, WebhookBatch.SafeRaw(element));
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

    private static string? Id(JsonElement element, string name) => Field(element, name) is { } value ? ParseWholeNumber(value)?.ToString(CultureInfo.InvariantCulture) : null;

    private static long? Number(JsonElement element, string name) => Field(element, name) is { } value ? ParseWholeNumber(value) : null;
}
