using Deskbridge.Agent;
using Deskbridge.HubSpot;

namespace Deskbridge.Outcomes;

/// <summary>
/// I4: the properties Deskbridge creates in a portal to carry the AI's outcome, so HubSpot's own reports and workflows can
/// filter on it. Conversation threads take no custom properties (the Conversations API has none), so the outcome goes on
/// the ticket, and the latest one on the contact. They live in HubSpot's default groups (ticketinformation,
/// contactinformation): a group of our own would need one more call and scope for nothing a filter needs.
/// </summary>
public static class OutcomeProperties
{
    public const string AiInvolved = "deskbridge_ai_involved";
    public const string AiOutcome = "deskbridge_ai_outcome";
    public const string AiReplies = "deskbridge_ai_replies";
    public const string HandoffReason = "deskbridge_handoff_reason";
    public const string HandoffTrigger = "deskbridge_handoff_trigger";
    public const string LastAiOutcome = "deskbridge_last_ai_outcome";
    public const string LastAiConversation = "deskbridge_last_ai_conversation";

    private static readonly HubSpotNewPropertyOption[] OutcomeOptionList =
    [
        new("Answered by the AI", OutcomeValues.Answered, false, 0),
        new("Handed off", OutcomeValues.HandedOff, false, 1),
        new("Drafted for approval", OutcomeValues.Drafted, false, 2),
    ];

    public static readonly IReadOnlyList<HubSpotNewProperty> Ticket =
    [
        new(AiInvolved, "Deskbridge: AI involved", "bool", "booleancheckbox", "ticketinformation",
            "Set by Deskbridge: the AI took part in this conversation.", [new("Yes", "true", false, 0), new("No", "false", false, 1)]),
        new(AiOutcome, "Deskbridge: AI outcome", "enumeration", "select", "ticketinformation",
            "Set by Deskbridge: what the AI did last (answered, handed off, drafted an answer for approval).", OutcomeOptionList),
        new(AiReplies, "Deskbridge: AI replies", "number", "number", "ticketinformation",
            "Set by Deskbridge: how many replies the AI posted on the conversation.", []),
        new(HandoffReason, "Deskbridge: handoff reason", "string", "textarea", "ticketinformation",
            "Set by Deskbridge: why the AI handed the conversation to a human.", []),
        new(HandoffTrigger, "Deskbridge: handoff trigger", "enumeration", "select", "ticketinformation",
            "Set by Deskbridge: what made the AI hand off.",
            [.. Enum.GetNames<HandoffTrigger>().Select((name, i) => new HubSpotNewPropertyOption(name, name, false, i))]),
    ];

    public static readonly IReadOnlyList<HubSpotNewProperty> Contact =
    [
        new(LastAiOutcome, "Deskbridge: last AI outcome", "enumeration", "select", "contactinformation",
            "Set by Deskbridge: what the AI did in this contact's latest conversation.", OutcomeOptionList),
        // datetime, not date: a date must be midnight UTC, and the moment of the outcome is what a workflow waits on.
        new(LastAiConversation, "Deskbridge: last AI conversation", "datetime", "date", "contactinformation",
            "Set by Deskbridge: when the AI's latest outcome with this contact happened.", []),
    ];

    public static IReadOnlyList<HubSpotNewProperty> Of(string objectType) => objectType == "contacts" ? Contact : Ticket;

    public static bool IsOurs(string name) => Ticket.Any(p => p.Name == name) || Contact.Any(p => p.Name == name);

    /// <summary>What a HubSpot admin does by hand when the token cannot create them.</summary>
    public static string HowToAdd(string objectType, IEnumerable<string> names)
    {
        var list = Of(objectType).Where(p => names.Contains(p.Name)).Select(p => $"{p.Name} ({FieldTypeLabel(p)}{Options(p)})");
        var (page, scope) = objectType == "contacts"
            ? ("Contact properties", "crm.schemas.contacts.write")
            : ("Ticket properties", "tickets (or crm.schemas.tickets.write)");
        return $"Create them in HubSpot (Settings → Properties → {page} → Create property, with these internal names: {string.Join("; ", list)}) " +
            $"or grant the app the {scope} scope and re-test.";
    }

    private static string FieldTypeLabel(HubSpotNewProperty p) => p.FieldType switch
    {
        "booleancheckbox" => "Single checkbox",
        "select" => "Dropdown select",
        "number" => "Number",
        "textarea" => "Multi-line text",
        "date" => "Date and time picker",
        _ => p.FieldType,
    };

    private static string Options(HubSpotNewProperty p) =>
        p.Type == "enumeration" ? ", options " + string.Join(", ", p.Options.Select(o => o.Value)) : "";
}

/// <summary>The internal values of the outcome options.</summary>
public static class OutcomeValues
{
    public const string Answered = "answered";
    public const string HandedOff = "handed_off";
    public const string Drafted = "drafted";
}
