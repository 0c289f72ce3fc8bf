using Deskbridge.HubSpotSandbox.Crm;

namespace Deskbridge.HubSpotSandbox;

/// <summary>The HubSpot-defined properties the sandbox knows, per object type (a practical subset of HubSpot's).</summary>
internal static class SeedProperties
{
    private static readonly PropertyModificationMetadata ReadOnly = new(false, true, true);

    public static IEnumerable<(string Type, IReadOnlyList<PropertyDefinition> Definitions)> All()
    {
        yield return (CrmObjectTypes.Contacts,
        [
            Text("email", "Email", "contactinformation", unique: true),
            Text("firstname", "First Name", "contactinformation"),
            Text("lastname", "Last Name", "contactinformation"),
            Text("phone", "Phone Number", "contactinformation", fieldType: "phonenumber"),
            Text("company", "Company Name", "contactinformation"),
            Text("jobtitle", "Job Title", "contactinformation"),
            Text("website", "Website URL", "contactinformation"),
            Enum("lifecyclestage", "Lifecycle Stage", "contactinformation", "radio",
                "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"),
            Owner(),
            Number("associatedcompanyid", "Primary Associated Company ID", "contactinformation"),
            Date("createdate", "Create Date"),
            Date("lastmodifieddate", "Last Modified Date"),
            ObjectId(),
        ]);

        yield return (CrmObjectTypes.Companies,
        [
            Text("name", "Company name", "companyinformation"),
            Text("domain", "Company Domain Name", "companyinformation"),
            Enum("industry", "Industry", "companyinformation", "select",
                "COMPUTER_SOFTWARE", "RETAIL", "INFORMATION_TECHNOLOGY_AND_SERVICES", "FINANCIAL_SERVICES", "CONSUMER_GOODS", "HOSPITALITY"),
            Number("numberofemployees", "Number of Employees", "companyinformation"),
            Number("annualrevenue", "Annual Revenue", "companyinformation"),
            Text("city", "City", "companyinformation"),
            Text("country", "Country/Region", "companyinformation"),
            Text("phone", "Phone Number", "companyinformation", fieldType: "phonenumber"),
            Owner(),
            Date("createdate", "Create Date"),
            Date("hs_lastmodifieddate", "Last Modified Date"),
            ObjectId(),
        ]);

        yield return (CrmObjectTypes.Deals,
        [
            Text("dealname", "Deal Name", "dealinformation"),
            Number("amount", "Amount", "dealinformation"),
            Enum("dealstage", "Deal Stage", "dealinformation", "radio",
                "appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon", "closedlost"),
            Enum("pipeline", "Pipeline", "dealinformation", "select", "default"),
            new PropertyDefinition { Name = "closedate", Label = "Close Date", Type = "datetime", FieldType = "date", GroupName = "dealinformation" },
            Owner(),
            Date("createdate", "Create Date"),
            Date("hs_lastmodifieddate", "Last Modified Date"),
            ObjectId(),
        ]);

        yield return (CrmObjectTypes.Tickets,
        [
            Text("subject", "Ticket name", "ticketinformation"),
            Text("content", "Ticket description", "ticketinformation", fieldType: "textarea"),
            Enum("hs_pipeline", "Pipeline", "ticketinformation", "select", "0"),
            new PropertyDefinition
            {
                Name = "hs_pipeline_stage", Label = "Ticket status", Type = "enumeration", FieldType = "select", GroupName = "ticketinformation",
                Options = [new("New", "1", 0), new("Waiting on contact", "2", 1), new("Waiting on us", "3", 2), new("Closed", "4", 3)],
            },
            Enum("hs_ticket_priority", "Priority", "ticketinformation", "select", "LOW", "MEDIUM", "HIGH", "URGENT"),
            Enum("hs_ticket_category", "Category", "ticketinformation", "checkbox", "PRODUCT_ISSUE", "BILLING_ISSUE", "FEATURE_REQUEST", "GENERAL_INQUIRY"),
            Enum("source_type", "Source", "ticketinformation", "select", "CHAT", "EMAIL", "FORM", "PHONE"),
            Owner(),
            Date("closed_date", "Close date", readOnly: false),
            Date("createdate", "Create date"),
            Date("hs_lastmodifieddate", "Last modified date"),
            ObjectId(),
        ]);
    }

    private static PropertyDefinition Text(string name, string label, string group, string fieldType = "text", bool unique = false) =>
        new() { Name = name, Label = label, GroupName = group, FieldType = fieldType, HasUniqueValue = unique, FormField = true };

    private static PropertyDefinition Number(string name, string label, string group) =>
        new() { Name = name, Label = label, GroupName = group, Type = "number", FieldType = "number" };

    private static PropertyDefinition Enum(string name, string label, string group, string fieldType, params string[] values) =>
        new()
        {
            Name = name, Label = label, GroupName = group, Type = "enumeration", FieldType = fieldType,
            Options = [.. values.Select((v, i) => new PropertyOption(v, v, i))],
        };

    private static PropertyDefinition Owner() =>
        new() { Name = "hubspot_owner_id", Label = "Owner", Type = "enumeration", FieldType = "select", GroupName = "sales_properties", ExternalOptions = true };

    private static PropertyDefinition Date(string name, string label, bool readOnly = true) =>
        new() { Name = name, Label = label, Type = "datetime", FieldType = "date", ModificationMetadata = readOnly ? ReadOnly : new(true, false, false) };

    private static PropertyDefinition ObjectId() =>
        new() { Name = "hs_object_id", Label = "Record ID", Type = "number", FieldType = "number", ModificationMetadata = ReadOnly };
}
