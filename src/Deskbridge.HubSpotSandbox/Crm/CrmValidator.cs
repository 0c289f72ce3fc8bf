using Deskbridge.HubSpotSandbox.Errors;

namespace Deskbridge.HubSpotSandbox.Crm;

/// <summary>HubSpot's property validation: unknown names, read-only values, enumeration options, number and date formats, owners, required ticket fields.</summary>
public sealed class CrmValidator(PropertyCatalog catalog, OwnerStore owners)
{
    private static readonly string[] RequiredTicketProperties = ["subject", "hs_pipeline_stage"];

    public IReadOnlyList<PropertyValidationFailure> Validate(string objectType, IReadOnlyDictionary<string, string?> properties, bool isCreate)
    {
        var failures = new List<PropertyValidationFailure>();
        foreach (var (name, value) in properties)
        {
            var definition = catalog.Find(objectType, name);
            if (definition is null)
            {
                failures.Add(PropertyValidationFailure.DoesNotExist(name));
                continue;
            }

            if (definition.IsReadOnlyValue)
            {
                failures.Add(new PropertyValidationFailure(false, $"{name} is a read only property; its value cannot be set.", "READ_ONLY_VALUE", name));
                continue;
            }

            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (name == "hubspot_owner_id")
            {
                if (owners.FindById(value) is null)
                {
                    failures.Add(new PropertyValidationFailure(false, $"{value} is not a valid owner id", "INVALID_OWNER_ID", name));
                }

                continue;
            }

            // HubSpot (since 2025) refuses non-string values with leading or trailing whitespace instead of trimming them.
            if (definition.Type != "string" && value.Trim() != value)
            {
                failures.Add(new PropertyValidationFailure(false, $"\"{value}\" includes leading or trailing whitespace.", "LEADING_TRAILING_WHITESPACE", name));
                continue;
            }

            if (PropertyValueFormats.Problem(definition.Type, name, value) is { } formatProblem)
            {
                failures.Add(formatProblem);
                continue;
            }

            if (definition.Type == "bool" && value is not ("true" or "false"))
            {
                failures.Add(PropertyValidationFailure.InvalidOption(name, value, ["true", "false"]));
                continue;
            }

            if (definition.Type == "enumeration" && definition.Options.Count > 0)
            {
                var allowed = definition.Options.Select(o => o.Value).ToList();
                var values = definition.FieldType == "checkbox" ? value.Split(';') : [value];
                if (values.Any(v => !allowed.Contains(v)))
                {
                    failures.Add(PropertyValidationFailure.InvalidOption(name, value, allowed));
                }
            }
        }

        if (isCreate && objectType == CrmObjectTypes.Tickets)
        {
            failures.AddRange(RequiredTicketProperties
                .Where(p => string.IsNullOrEmpty(properties.GetValueOrDefault(p)))
                .Select(PropertyValidationFailure.Missing));
        }

        return failures;
    }
}
