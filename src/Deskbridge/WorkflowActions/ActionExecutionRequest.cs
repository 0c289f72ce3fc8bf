using System.Globalization;
using System.Text.Json;

namespace Deskbridge.WorkflowActions;

/// <summary>
/// What HubSpot POSTs to an action URL when a workflow runs the action: <c>callbackId</c>, <c>origin</c> (portalId,
/// actionDefinitionId, actionDefinitionVersion), <c>object</c> (objectId, objectType), <c>inputFields</c> and <c>context</c>.
/// Parsed by hand so that every problem is named rather than thrown.
/// </summary>
public sealed record ActionExecutionRequest(
    string CallbackId, long PortalId, string? ActionDefinitionId, string ObjectType, string ObjectId, IReadOnlyDictionary<string, string> InputFields)
{
    public const int MaxCallbackIdLength = 200;

    public string? Input(string name) => InputFields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public static (ActionExecutionRequest? Request, string? Problem) Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return (null, $"The body is not JSON: {ex.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "The body must be a JSON object.");
            }
            if (Text(root, "callbackId") is not { Length: > 0 and <= MaxCallbackIdLength } callbackId)
            {
                return (null, $"callbackId is required (a string of at most {MaxCallbackIdLength} characters).");
            }
            if (!root.TryGetProperty("origin", out var origin) || origin.ValueKind != JsonValueKind.Object || Id(origin, "portalId") is not { } portal
                || !long.TryParse(portal, NumberStyles.None, CultureInfo.InvariantCulture, out var portalId))
            {
                return (null, "origin.portalId is required (a whole number).");
            }
            if (!root.TryGetProperty("object", out var enrolled) || enrolled.ValueKind != JsonValueKind.Object
                || Text(enrolled, "objectType") is not { Length: > 0 } objectType || Id(enrolled, "objectId") is not { } objectId)
            {
                return (null, "object.objectType and object.objectId are required.");
            }

            var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("inputFields", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in fields.EnumerateObject())
                {
                    // Workflows send strings; a number picked from a property may come as one.
                    if (field.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    {
                        inputs[field.Name] = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()! : field.Value.GetRawText();
                    }
                }
            }
            else if (root.TryGetProperty("inputFields", out fields) && fields.ValueKind != JsonValueKind.Null)
            {
                return (null, "inputFields must be an object.");
            }
            return (new(callbackId, portalId, Id(origin, "actionDefinitionId"), objectType.ToUpperInvariant(), objectId, inputs), null);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>HubSpot's ids are numbers on this wire; digit strings are taken too.</summary>
    private static string? Id(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        return text is { Length: > 0 and <= 19 } && text.All(char.IsAsciiDigit) ? text : null;
    }
}

/// <summary>
/// The answer HubSpot expects: <c>{"outputFields":{…}}</c> with <c>hs_execution_state</c> SUCCESS or FAIL_CONTINUE (the
/// workflow goes on, and can branch on the other output fields), every value a string.
/// </summary>
public sealed record ActionOutcome(bool Succeeded, string Result, string? AiState, string? Reason, string? TicketId, Guid? SessionId)
{
    public Dictionary<string, string> OutputFields()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hs_execution_state"] = Succeeded ? "SUCCESS" : "FAIL_CONTINUE",
            ["result"] = Result,
        };
        Add(fields, "ai_state", AiState);
        Add(fields, ActionDefinitions.ReasonField, Reason);
        Add(fields, "ticket_id", TicketId);
        Add(fields, "session_id", SessionId?.ToString());
        return fields;
    }

    private static void Add(Dictionary<string, string> fields, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            fields[name] = value;
        }
    }
}
