using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Deskbridge.Inbox;

namespace Deskbridge.Webhooks;

/// <summary>W3: a webhook request's body, read into the envelopes the inbox stores.</summary>
public static class WebhookBatch
{
    /// <summary>
    /// Parses a batch. False (a 400 for the whole body) only when the body is not a JSON array of objects; an object
    /// that breaks a rule comes back as a rejected envelope. The error says what is wrong in words a HubSpot admin can act on.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out List<WebhookEnvelope> events, out string? error)
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

    /// <summary>The event's bytes as text for the audit copy, with invalid UTF-8 replaced (U+FFFD) rather than thrown on.</summary>
    internal static string SafeRaw(JsonElement element) => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(element));
}
