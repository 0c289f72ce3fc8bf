using System.Text.Json;
using System.Text.RegularExpressions;
using Deskbridge.HubSpotSandbox.Errors;

namespace Deskbridge.HubSpotSandbox.Crm;

/// <summary>
/// HubSpot's checks on POST /crm/v3/properties/{objectType} (the spec's PropertyCreate): the required attributes,
/// the type and fieldType enums and which fieldTypes fit which type, options for enumerations, a known group,
/// and an internal name HubSpot accepts.
/// </summary>
public static partial class PropertyCreateValidator
{
    private static readonly string[] Required = ["name", "label", "type", "fieldType", "groupName"];

    // Where the spec is silent on combinations, the pairs HubSpot's property editor offers; anything else is refused.
    private static readonly Dictionary<string, string[]> FieldTypesByType = new(StringComparer.Ordinal)
    {
        ["string"] = ["text", "textarea", "html", "file", "phonenumber"],
        ["number"] = ["number", "calculation_equation"],
        ["bool"] = ["booleancheckbox", "calculation_equation"],
        ["enumeration"] = ["booleancheckbox", "checkbox", "radio", "select", "calculation_equation"],
        ["date"] = ["date"],
        ["datetime"] = ["date"],
        ["phone_number"] = ["phonenumber"],
    };

    public static (PropertyDefinition? Definition, IResult? Problem) Validate(string objectType, JsonElement body, PropertyCatalog catalog)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Fail("Invalid input JSON: expected a PropertyCreate object.");
        }

        var missing = Required.Where(f => !body.TryGetProperty(f, out var v) || v.ValueKind == JsonValueKind.Null).ToList();
        if (missing.Count > 0)
        {
            return Fail($"Invalid input JSON: Cannot build PropertyCreate, some of required attributes are not set [{string.Join(", ", missing)}]");
        }

        foreach (var field in Required)
        {
            if (body.GetProperty(field).ValueKind != JsonValueKind.String)
            {
                return Fail($"Invalid input JSON: {field} must be a string.");
            }
        }

        var name = body.GetProperty("name").GetString()!;
        var type = body.GetProperty("type").GetString()!;
        var fieldType = body.GetProperty("fieldType").GetString()!;
        var groupName = body.GetProperty("groupName").GetString()!;
        if (!NamePattern().IsMatch(name))
        {
            return Fail($"Property name '{name}' is invalid: use lower-case letters, digits and underscores, starting with a letter (at most 100 characters).");
        }

        if (!FieldTypesByType.TryGetValue(type, out var fieldTypes))
        {
            return Fail($"Invalid input JSON: type '{type}' is not one of [{string.Join(", ", FieldTypesByType.Keys)}].");
        }

        if (!fieldTypes.Contains(fieldType, StringComparer.Ordinal))
        {
            return Fail($"fieldType '{fieldType}' is not valid for a property of type '{type}'; use one of [{string.Join(", ", fieldTypes)}].");
        }

        if (!catalog.Groups(objectType).Contains(groupName, StringComparer.Ordinal))
        {
            return Fail($"Property group '{groupName}' does not exist for {objectType}; existing groups: [{string.Join(", ", catalog.Groups(objectType))}].");
        }

        var (options, optionsProblem) = Options(body, type);
        if (optionsProblem is not null)
        {
            return Fail(optionsProblem);
        }

        return (new PropertyDefinition
        {
            Name = name,
            Label = body.GetProperty("label").GetString()!,
            Type = type,
            FieldType = fieldType,
            GroupName = groupName,
            Description = body.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "",
            Options = options,
            HubspotDefined = false,
            FormField = body.TryGetProperty("formField", out var f) && f.ValueKind == JsonValueKind.True,
        }, null);
    }

    private static (IReadOnlyList<PropertyOption> Options, string? Problem) Options(JsonElement body, string type)
    {
        var hasOptions = body.TryGetProperty("options", out var raw) && raw.ValueKind != JsonValueKind.Null;
        if (!hasOptions)
        {
            return type == "enumeration" ? ([], "options are required for a property of type enumeration.") : ([], null);
        }

        if (raw.ValueKind != JsonValueKind.Array)
        {
            return ([], "Invalid input JSON: options must be an array.");
        }

        var options = new List<PropertyOption>();
        foreach (var option in raw.EnumerateArray())
        {
            // OptionInput requires label, value and hidden.
            if (option.ValueKind != JsonValueKind.Object
                || !option.TryGetProperty("label", out var label) || label.ValueKind != JsonValueKind.String
                || !option.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String
                || !option.TryGetProperty("hidden", out var hidden) || hidden.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return ([], "Invalid input JSON: Cannot build OptionInput, some of required attributes are not set [label, value, hidden]");
            }

            var order = option.TryGetProperty("displayOrder", out var o) && o.TryGetInt32(out var n) ? n : options.Count;
            options.Add(new PropertyOption(label.GetString()!, value.GetString()!, order, hidden.GetBoolean()));
        }

        if (type == "enumeration" && options.Count == 0)
        {
            return ([], "options are required for a property of type enumeration.");
        }

        if (options.Select(o => o.Value).Distinct(StringComparer.Ordinal).Count() != options.Count)
        {
            return ([], "Option values must be unique.");
        }

        if (type == "bool" && options.Any(o => o.Value is not ("true" or "false")))
        {
            return ([], "The options of a bool property must have the values true and false.");
        }

        return (options, null);
    }

    private static (PropertyDefinition?, IResult?) Fail(string message) => (null, HubSpotErrors.Validation(message));

    [GeneratedRegex("^[a-z][a-z0-9_]{0,99}$")]
    private static partial Regex NamePattern();
}
