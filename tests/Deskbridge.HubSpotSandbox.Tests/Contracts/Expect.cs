using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests.Contracts;

/// <summary>The JSON types HubSpot's specs use, checked on a JsonNode.</summary>
public enum Json
{
    Text,
    WholeNumber,
    Number,
    Boolean,
    Array,
    Map,
    DateTime,
}

/// <summary>
/// Small shape assertions for contract tests. The expectations (required fields, types, enums) are written in
/// each test from HubSpot's OpenAPI specs; nothing here reads a spec file.
/// </summary>
public static class Expect
{
    /// <summary>Every listed field is present, not null, and of its type.</summary>
    public static JsonObject Fields(JsonNode? node, string what, params (string Name, Json Type)[] required)
    {
        var obj = Assert.IsType<JsonObject>(node, exactMatch: false);
        foreach (var (name, type) in required)
        {
            Assert.True(obj.TryGetPropertyValue(name, out var value) && value is not null, $"{what}: required field {name} is missing in {obj.ToJsonString()}");
            Is(value, type, $"{what}.{name}");
        }

        return obj;
    }

    /// <summary>Optional fields: when present they are of their type (never null: HubSpot omits absent fields).</summary>
    public static void Optional(JsonNode? node, string what, params (string Name, Json Type)[] optional)
    {
        var obj = Assert.IsType<JsonObject>(node, exactMatch: false);
        foreach (var (name, type) in optional)
        {
            if (obj.TryGetPropertyValue(name, out var value))
            {
                Assert.True(value is not null, $"{what}.{name} is null; the spec types it {type} and does not allow null");
                Is(value, type, $"{what}.{name}");
            }
        }
    }

    public static void OneOf(JsonNode? value, string what, params string[] allowed)
    {
        Is(value, Json.Text, what);
        Assert.True(allowed.Contains(value!.GetValue<string>()), $"{what} is \"{value}\", not one of the spec's enum {string.Join(", ", allowed)}");
    }

    public static void Is(JsonNode? value, Json type, string what)
    {
        var kind = value?.GetValueKind();
        var ok = type switch
        {
            Json.Text => kind == JsonValueKind.String,
            Json.DateTime => kind == JsonValueKind.String
                && DateTimeOffset.TryParse(value!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _),
            Json.WholeNumber => kind == JsonValueKind.Number && long.TryParse(value!.ToJsonString(), CultureInfo.InvariantCulture, out _),
            Json.Number => kind == JsonValueKind.Number,
            Json.Boolean => kind is JsonValueKind.True or JsonValueKind.False,
            Json.Array => kind == JsonValueKind.Array,
            Json.Map => kind == JsonValueKind.Object,
            _ => false,
        };
        Assert.True(ok, $"{what} should be {type}, was {value?.ToJsonString() ?? "absent"}");
    }

    public static JsonArray Results(JsonNode body, string what)
    {
        Fields(body, what, ("results", Json.Array));
        return body["results"]!.AsArray();
    }

    /// <summary>ForwardPaging / Paging: when paging is there, next.after is a string (link optional).</summary>
    public static void Paging(JsonNode body, string what)
    {
        if (body["paging"] is { } paging)
        {
            Fields(paging["next"], $"{what}.paging.next", ("after", Json.Text));
            Optional(paging["next"], $"{what}.paging.next", ("link", Json.Text));
        }
    }

    /// <summary>The spec's Error schema (category, correlationId as a UUID, message) plus HubSpot's "status":"error".</summary>
    public static async Task<JsonObject> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string category)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType ?? "");
        var body = Fields(JsonNode.Parse(text), "error", ("status", Json.Text), ("message", Json.Text), ("correlationId", Json.Text), ("category", Json.Text));
        Assert.Equal("error", body["status"].Str());
        Assert.Equal(category, body["category"].Str());
        Assert.True(Guid.TryParse(body["correlationId"].Str(), out _), "correlationId should be a UUID");
        if (body["errors"] is { } errors)
        {
            foreach (var detail in errors.AsArray())
            {
                Fields(detail, "error.errors[]", ("message", Json.Text));
                Optional(detail, "error.errors[]", ("in", Json.Text), ("code", Json.Text), ("context", Json.Map));
            }
        }

        return body;
    }

    /// <summary>A 400 VALIDATION_ERROR whose errors[] names <paramref name="field"/> with <paramref name="code"/>.</summary>
    public static async Task<JsonObject> InvalidAsync(HttpResponseMessage response, string field, string code)
    {
        var body = await ErrorAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var errors = Assert.IsType<JsonArray>(body["errors"]);
        Assert.True(errors.Any(e => (string?)e!["in"] == field && (string?)e["code"] == code),
            $"expected an error in {field} with code {code}: {body.ToJsonString()}");
        return body;
    }

    /// <summary>The spec's StandardError, used for a batch's per-item errors: all six fields are required.</summary>
    public static void StandardError(JsonNode? error, string what) =>
        Fields(error, what, ("status", Json.Text), ("category", Json.Text), ("message", Json.Text),
            ("context", Json.Map), ("errors", Json.Array), ("links", Json.Map));
}
