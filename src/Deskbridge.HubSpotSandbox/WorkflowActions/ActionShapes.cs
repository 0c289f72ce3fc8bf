using Deskbridge.HubSpotSandbox.Validation;
using static Deskbridge.HubSpotSandbox.Validation.JsonShape;

namespace Deskbridge.HubSpotSandbox.WorkflowActions;

/// <summary>
/// The Automation Actions v4 request bodies, typed as HubSpot's spec types them (written by hand from the spec's schemas,
/// which may not be copied): PublicActionDefinitionEgg, PublicActionDefinitionPatch, CallbackCompletionRequest and
/// BatchInputCallbackCompletionBatchRequest.
/// </summary>
public static class ActionShapes
{
    public static readonly string[] FieldTypes =
        ["booleancheckbox", "calculation_equation", "checkbox", "date", "file", "html", "number", "phonenumber", "radio", "select", "text", "textarea"];

    public static readonly string[] OutputFieldTypes = [.. FieldTypes, "calculation_read_time", "calculation_rollup", "calculation_score", "unknown"];

    public static readonly string[] InputTypes = ["bool", "date", "datetime", "enumeration", "json", "number", "object_coordinates", "phone_number", "string"];

    public static readonly string[] OutputTypes = [.. InputTypes, "currency_number"];

    public static readonly string[] FunctionTypes = ["POST_ACTION_EXECUTION", "POST_FETCH_OPTIONS", "PRE_ACTION_EXECUTION", "PRE_FETCH_OPTIONS"];

    // An object whose members the spec leaves open.
    private static readonly ObjectShape AnyObject = Fields(new Dictionary<string, JsonShape>());

    // PublicOption: label and value required.
    private static readonly ObjectShape PublicOption = Fields(new Dictionary<string, JsonShape>
    {
        ["label"] = Text, ["value"] = Text, ["description"] = Text, ["displayOrder"] = WholeNumber,
    }, "label", "value");

    // PublicFieldTypeDefinition: name, options and type required; referencedObjectType only OWNER.
    private static readonly ObjectShape InputType = Fields(new Dictionary<string, JsonShape>
    {
        ["name"] = Text, ["type"] = Enum(InputTypes), ["fieldType"] = Enum(FieldTypes), ["options"] = ArrayOf(PublicOption),
        ["label"] = Text, ["description"] = Text, ["helpText"] = Text, ["optionsUrl"] = Text, ["referencedObjectType"] = Enum("OWNER"),
    }, "name", "options", "type");

    // PublicInputFieldDefinition: isRequired and typeDefinition required.
    private static readonly ObjectShape InputField = Fields(new Dictionary<string, JsonShape>
    {
        ["isRequired"] = Flag, ["typeDefinition"] = InputType, ["supportedValueTypes"] = ArrayOf(Enum("OBJECT_PROPERTY", "STATIC_VALUE")),
    }, "isRequired", "typeDefinition");

    // Option (a HubSpot property option): every field required.
    private static readonly ObjectShape Option = Fields(new Dictionary<string, JsonShape>
    {
        ["description"] = Text, ["displayOrder"] = WholeNumber, ["doubleData"] = Number, ["hidden"] = Flag, ["label"] = Text, ["readOnly"] = Flag, ["value"] = Text,
    }, "description", "displayOrder", "doubleData", "hidden", "label", "readOnly", "value");

    // The FieldTypeDefinition schema: one of the typed field schemas, told apart by type.
    private static readonly JsonShape FieldSchema = OneOf("type", new Dictionary<string, ObjectShape>
    {
        ["STRING"] = Fields(new Dictionary<string, JsonShape> { ["format"] = Enum("DATE", "DATE_TIME", "MONTH_AND_DAY", "OBJECT_COORDINATE", "TIME", "URI") }, "type"),
        ["INTEGER"] = Fields(new Dictionary<string, JsonShape> { ["minimum"] = WholeNumber, ["maximum"] = WholeNumber }, "type"),
        ["LONG"] = Fields(new Dictionary<string, JsonShape> { ["minimum"] = LongNumber, ["maximum"] = LongNumber }, "type"),
        ["DOUBLE"] = Fields(new Dictionary<string, JsonShape> { ["minimum"] = Number, ["maximum"] = Number }, "type"),
        ["BOOLEAN"] = Fields(new Dictionary<string, JsonShape>(), "type"),
        ["ARRAY"] = Fields(new Dictionary<string, JsonShape>(), "type"),
        ["OBJECT"] = Fields(new Dictionary<string, JsonShape>(), "type"),
        ["UNKNOWN"] = Fields(new Dictionary<string, JsonShape>(), "type"),
    });

    // OutputFieldDefinition: typeDefinition (a FieldTypeDefinition: externalOptions, name, options, schema, type, useChirp required).
    private static readonly ObjectShape OutputField = Fields(new Dictionary<string, JsonShape>
    {
        ["typeDefinition"] = Fields(new Dictionary<string, JsonShape>
        {
            ["name"] = Text, ["type"] = Enum(OutputTypes), ["fieldType"] = Enum(OutputFieldTypes), ["options"] = ArrayOf(Option),
            ["externalOptions"] = Flag, ["useChirp"] = Flag, ["schema"] = FieldSchema, ["label"] = Text, ["description"] = Text, ["helpText"] = Text,
            ["optionsUrl"] = Text, ["externalOptionsReferenceType"] = Text,
        }, "externalOptions", "name", "options", "schema", "type", "useChirp"),
    }, "typeDefinition");

    // PublicActionLabels: actionName required.
    private static readonly ObjectShape Labels = Fields(new Dictionary<string, JsonShape>
    {
        ["actionName"] = Text, ["actionDescription"] = Text, ["actionCardContent"] = Text, ["appDisplayName"] = Text,
        ["inputFieldLabels"] = MapOf(Text), ["inputFieldDescriptions"] = MapOf(Text), ["outputFieldLabels"] = MapOf(Text),
        ["inputFieldOptionLabels"] = MapOf(MapOf(Text)), ["executionRules"] = MapOf(Text),
    }, "actionName");

    private static readonly JsonShape Dependency = OneOf("dependencyType", new Dictionary<string, ObjectShape>
    {
        ["SINGLE_FIELD"] = Fields(new Dictionary<string, JsonShape> { ["controllingFieldName"] = Text, ["dependentFieldNames"] = ArrayOf(Text) },
            "controllingFieldName", "dependencyType", "dependentFieldNames"),
        ["CONDITIONAL_SINGLE_FIELD"] = Fields(new Dictionary<string, JsonShape>
        {
            ["controllingFieldName"] = Text, ["controllingFieldValue"] = Text, ["dependentFieldNames"] = ArrayOf(Text),
        }, "controllingFieldName", "controllingFieldValue", "dependencyType", "dependentFieldNames"),
    });

    private static readonly ObjectShape ExecutionRule = Fields(new Dictionary<string, JsonShape> { ["labelName"] = Text, ["conditions"] = MapOf(AnyObject) }, "conditions", "labelName");

    private static Dictionary<string, JsonShape> DefinitionFields() => new()
    {
        ["actionUrl"] = Text,
        ["published"] = Flag,
        ["archivedAt"] = LongNumber,
        ["objectTypes"] = ArrayOf(Text),
        ["inputFields"] = ArrayOf(InputField),
        ["outputFields"] = ArrayOf(OutputField),
        ["labels"] = MapOf(Labels),
        ["objectRequestOptions"] = Fields(new Dictionary<string, JsonShape> { ["properties"] = ArrayOf(Text) }, "properties"),
        ["inputFieldDependencies"] = ArrayOf(Dependency),
        ["executionRules"] = ArrayOf(ExecutionRule),
    };

    /// <summary>PublicActionDefinitionEgg: actionUrl, functions, inputFields, labels, objectTypes and published are required.</summary>
    public static readonly JsonShape DefinitionEgg = Fields(new Dictionary<string, JsonShape>(DefinitionFields())
    {
        ["functions"] = ArrayOf(Fields(new Dictionary<string, JsonShape> { ["functionType"] = Enum(FunctionTypes), ["functionSource"] = Text, ["id"] = Text },
            "functionSource", "functionType")),
    }, "actionUrl", "functions", "inputFields", "labels", "objectTypes", "published");

    /// <summary>PublicActionDefinitionPatch: nothing required; functions are not part of it.</summary>
    public static readonly JsonShape DefinitionPatch = Fields(DefinitionFields());

    private static Dictionary<string, JsonShape> CompletionFields() => new()
    {
        ["outputFields"] = MapOf(Text), ["typedOutputs"] = AnyObject, ["failureReasonType"] = Text, ["requestContext"] = AnyObject,
    };

    /// <summary>CallbackCompletionRequest: outputFields (string values) and typedOutputs are required.</summary>
    public static readonly JsonShape Completion = Fields(CompletionFields(), "outputFields", "typedOutputs");

    /// <summary>BatchInputCallbackCompletionBatchRequest: inputs of CallbackCompletionBatchRequest (callbackId, outputFields, typedOutputs).</summary>
    public static readonly JsonShape BatchCompletion = Fields(new Dictionary<string, JsonShape>
    {
        ["inputs"] = ArrayOf(Fields(new Dictionary<string, JsonShape>(CompletionFields()) { ["callbackId"] = Text }, "callbackId", "outputFields", "typedOutputs")),
    }, "inputs");
}
