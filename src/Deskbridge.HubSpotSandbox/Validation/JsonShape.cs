using System.Text.Json;

namespace Deskbridge.HubSpotSandbox.Validation;

/// <summary>One problem with a request body: where (a JSON path such as <c>recipients[0].deliveryIdentifiers</c>),
/// what, and a code (REQUIRED, INVALID_TYPE, INVALID_ENUM, INVALID_JSON).</summary>
public sealed record ShapeError(string In, string Message, string Code);

/// <summary>
/// A small hand-written description of a JSON body, written from HubSpot's OpenAPI schemas: types, required
/// fields, enums. Like a JSON Schema validator with HubSpot's defaults, unknown fields are allowed, and a null
/// field counts as absent (required → REQUIRED). Array items and map values must not be null.
/// </summary>
public abstract class JsonShape
{
    public static readonly JsonShape Text = new KindShape(JsonValueKind.String, "a string");
    public static readonly JsonShape Flag = new BooleanShape();
    public static readonly JsonShape WholeNumber = new IntegerShape(int.MinValue, int.MaxValue, "an integer (int32)");
    public static readonly JsonShape LongNumber = new IntegerShape(long.MinValue, long.MaxValue, "an integer (int64)");
    public static readonly JsonShape Number = new KindShape(JsonValueKind.Number, "a number");

    public abstract string Describe { get; }

    public abstract void Check(JsonElement value, string path, List<ShapeError> errors);

    public static JsonShape Enum(params string[] values) => new EnumShape(values);

    public static JsonShape ArrayOf(JsonShape item) => new ArrayShape(item);

    public static JsonShape MapOf(JsonShape value) => new MapShape(value);

    public static ObjectShape Fields(IReadOnlyDictionary<string, JsonShape> properties, params string[] required) => new(properties, required);

    /// <summary>oneOf between object shapes told apart by a string field (HubSpot's "type").</summary>
    public static JsonShape OneOf(string discriminator, IReadOnlyDictionary<string, ObjectShape> byValue) => new OneOfShape(discriminator, byValue);

    public static IReadOnlyList<ShapeError> Validate(JsonShape shape, JsonElement root)
    {
        var errors = new List<ShapeError>();
        shape.Check(root, "", errors);
        return errors;
    }

    protected static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    protected static string Where(string path) => path.Length == 0 ? "the request body" : path;

    protected static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    protected static void TypeError(JsonElement value, string path, string expected, List<ShapeError> errors) =>
        errors.Add(new ShapeError(Where(path), $"{Where(path)} must be {expected}, was {KindOf(value)}", "INVALID_TYPE"));

    private sealed class KindShape(JsonValueKind kind, string description) : JsonShape
    {
        public override string Describe => description;

        public override void Check(JsonElement value, string path, List<ShapeError> errors)
        {
            if (value.ValueKind != kind)
            {
                TypeError(value, path, description, errors);
            }
        }
    }

    private sealed class BooleanShape : JsonShape
    {
        public override string Describe => "a boolean";

        public override void Check(JsonElement value, string path, List<ShapeError> errors)
        {
            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                TypeError(value, path, Describe, errors);
            }
        }
    }

    private sealed class IntegerShape(long min, long max, string description) : JsonShape
    {
        public override string Describe => description;

        public override void Check(JsonElement value, string path, List<ShapeError> errors)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < min || number > max)
            {
                TypeError(value, path, description, errors);
            }
        }
    }

    private sealed class EnumShape(IReadOnlyList<string> values) : JsonShape
    {
        public override string Describe => $"one of {string.Join(", ", values)}";

        public override void Check(JsonElement value, string path, List<ShapeError> errors)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                TypeError(value, path, "a string", errors);
            }
            else if (!values.Contains(value.GetString()!, StringComparer.Ordinal))
            {
                errors.Add(new ShapeError(Where(path), $"{Where(path)} must be {Describe}, was \"{value.GetString()}\"", "INVALID_ENUM"));
            }
        }
    }

    private sealed class ArrayShape(JsonShape item) : JsonShape
    {
        public override string Describe => $"an array of {item.Describe}";

        public override void Check(JsonElement value, string path, List<ShapeError> errors)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                TypeError(value, path, "an array", errors);
                return;
            }

            var index = 0;
            foreach (var element in value.EnumerateArray())
            {
                item.Check(element, $"{path}[{index++}]", errors);
            }
        }
    }

    private sealed class MapShape(JsonShape valueShape) : JsonShape
    {
        public override string Describe => $"an object whose values are {valueShape.Describe}";

        public override void Check(JsonElement value, string path, List<ShapeError> errors)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                TypeError(value, path, "an object", errors);
                return;
            }

            foreach (var property in value.EnumerateObject())
            {
                valueShape.Check(property.Value, Join(path, property.Name), errors);
            }
        }
    }

    private sealed class OneOfShape(string discriminator, IReadOnlyDictionary<string, ObjectShape> byValue) : JsonShape
    {
        public override string Describe => "an object";

        public override void Check(JsonElement value, string path, List<ShapeError> errors)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                TypeError(value, path, "an object", errors);
                return;
            }

            var field = Join(path, discriminator);
            if (!value.TryGetProperty(discriminator, out var tag) || tag.ValueKind == JsonValueKind.Null)
            {
                errors.Add(new ShapeError(field, $"{field} is required", "REQUIRED"));
                return;
            }

            Enum([.. byValue.Keys]).Check(tag, field, errors);
            if (tag.ValueKind == JsonValueKind.String && byValue.TryGetValue(tag.GetString()!, out var shape))
            {
                shape.Check(value, path, errors);
            }
        }
    }
}

public sealed class ObjectShape(IReadOnlyDictionary<string, JsonShape> properties, IReadOnlyList<string> required) : JsonShape
{
    public override string Describe => "an object";

    public override void Check(JsonElement value, string path, List<ShapeError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            TypeError(value, path, "an object", errors);
            return;
        }

        foreach (var name in required)
        {
            if (!value.TryGetProperty(name, out var present) || present.ValueKind == JsonValueKind.Null)
            {
                var field = Join(path, name);
                errors.Add(new ShapeError(field, $"{field} is required", "REQUIRED"));
            }
        }

        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null && properties.TryGetValue(property.Name, out var shape))
            {
                shape.Check(property.Value, Join(path, property.Name), errors);
            }
        }
    }
}
