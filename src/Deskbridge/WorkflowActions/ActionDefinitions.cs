using System.Text.Json.Nodes;

namespace Deskbridge.WorkflowActions;

/// <summary>
/// U3: the definitions Deskbridge registers for its app, in HubSpot's Automation Actions v4 shape (PublicActionDefinitionEgg):
/// what each action asks for (a thread id for the enrolled ticket or contact's conversation; a reason for a handoff) and the
/// output fields a workflow can branch on.
/// </summary>
public static class ActionDefinitions
{
    /// <summary>HubSpot workflows enroll CRM records; a conversation is reached through the ticket (its link) or a thread id input.</summary>
    public static readonly string[] ObjectTypes = ["TICKET", "CONTACT"];

    public const string ThreadIdField = "thread_id";
    public const string ReasonField = "reason";

    public static readonly string[] AiStates = ["active", "paused", "handed_off"];

    public static JsonObject Build(WorkflowActionKind kind, Uri actionUrl, bool published)
    {
        var (name, description) = Texts(kind);
        var inputs = new JsonArray { Input(ThreadIdField, "text", required: false) };
        var inputLabels = new JsonObject { [ThreadIdField] = "Conversation thread ID" };
        var inputDescriptions = new JsonObject
        {
            [ThreadIdField] = "The HubSpot conversation thread; leave empty to use the enrolled ticket's (or contact's latest) conversation.",
        };
        if (kind == WorkflowActionKind.RequestHandoff)
        {
            inputs.Add(Input(ReasonField, "textarea", required: true));
            inputLabels[ReasonField] = "Reason";
            inputDescriptions[ReasonField] = "Why a human takes over; written into the handoff note and the ticket.";
        }

        return new JsonObject
        {
            ["actionUrl"] = actionUrl.ToString(),
            ["published"] = published,
            ["objectTypes"] = new JsonArray([.. ObjectTypes.Select(t => (JsonNode)t)]),
            ["functions"] = new JsonArray(),
            ["inputFields"] = inputs,
            ["outputFields"] = new JsonArray
            {
                Output("ai_state", "enumeration", "select", AiStates),
                Output("result", "string", "text"),
                Output(ReasonField, "string", "text"),
                Output("ticket_id", "string", "text"),
                Output("session_id", "string", "text"),
            },
            ["labels"] = new JsonObject
            {
                ["en"] = new JsonObject
                {
                    ["actionName"] = name,
                    ["actionDescription"] = description,
                    ["appDisplayName"] = "Deskbridge",
                    ["inputFieldLabels"] = inputLabels,
                    ["inputFieldDescriptions"] = inputDescriptions,
                    ["outputFieldLabels"] = new JsonObject
                    {
                        ["ai_state"] = "AI state",
                        ["result"] = "Result",
                        [ReasonField] = "Reason",
                        ["ticket_id"] = "Ticket ID",
                        ["session_id"] = "Deskbridge session ID",
                    },
                },
            },
        };
    }

    /// <summary>The fields a sync compares: a definition that differs in any of them is patched.</summary>
    public static readonly string[] ComparedFields = ["actionUrl", "published", "objectTypes", "inputFields", "outputFields", "labels"];

    private static (string Name, string Description) Texts(WorkflowActionKind kind) => kind switch
    {
        WorkflowActionKind.PauseAi => ("Pause AI", "Deskbridge's AI stops answering the conversation until it is resumed."),
        WorkflowActionKind.ResumeAi => ("Resume AI", "Deskbridge's AI answers the conversation again after a pause."),
        WorkflowActionKind.SendToAi => ("Send to AI", "Hands the conversation (or the ticket's) to Deskbridge's AI, also after a handoff, and assigns it to the AI user."),
        WorkflowActionKind.RequestHandoff => ("Request handoff", "Deskbridge hands the conversation to a human: internal note, contact and ticket, with the reason."),
        WorkflowActionKind.CreateTicket => ("Create HubSpot ticket from session", "Links the conversation's ticket, or creates one with the summary and transcript."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    // PublicInputFieldDefinition: isRequired and typeDefinition (name, type, options) are required.
    private static JsonObject Input(string name, string fieldType, bool required) => new()
    {
        ["typeDefinition"] = new JsonObject { ["name"] = name, ["type"] = "string", ["fieldType"] = fieldType, ["options"] = new JsonArray() },
        ["supportedValueTypes"] = new JsonArray("STATIC_VALUE", "OBJECT_PROPERTY"),
        ["isRequired"] = required,
    };

    // OutputFieldDefinition.typeDefinition is a FieldTypeDefinition: externalOptions, name, options, schema, type and useChirp are required.
    private static JsonObject Output(string name, string type, string fieldType, IReadOnlyList<string>? options = null) => new()
    {
        ["typeDefinition"] = new JsonObject
        {
            ["name"] = name,
            ["type"] = type,
            ["fieldType"] = fieldType,
            ["externalOptions"] = false,
            ["useChirp"] = false,
            ["schema"] = new JsonObject { ["type"] = "STRING" },
            ["options"] = new JsonArray([.. (options ?? []).Select((value, i) => (JsonNode)new JsonObject
            {
                ["value"] = value,
                ["label"] = value.Replace('_', ' '),
                ["description"] = "",
                ["displayOrder"] = i,
                ["doubleData"] = 0,
                ["hidden"] = false,
                ["readOnly"] = false,
            })]),
        },
    };
}
