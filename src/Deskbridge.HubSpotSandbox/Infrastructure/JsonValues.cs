using System.Text.Json;
using System.Text.Json.Serialization;

namespace Deskbridge.HubSpotSandbox.Infrastructure;

internal static class JsonValues
{
    /// <summary>HubSpot accepts property values as strings, numbers or booleans and stores them as strings.</summary>
    public static string? AsString(JsonElement? element) => element?.ValueKind switch
    {
        null or JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => element.Value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => element.Value.GetRawText(),
    };

    public static Dictionary<string, string?> ToProperties(IReadOnlyDictionary<string, JsonElement>? properties) =>
        properties?.ToDictionary(p => p.Key, p => AsString(p.Value), StringComparer.Ordinal) ?? [];
}

/// <summary>Reads an id that clients send either as a JSON string or a JSON number.</summary>
public sealed class FlexibleStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException("Expected a string or a number."),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
