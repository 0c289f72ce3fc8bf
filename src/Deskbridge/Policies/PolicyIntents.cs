using Deskbridge.Agent;

namespace Deskbridge.Policies;

/// <summary>The values a rule's intent condition takes: the detected intents, and the agent's handoff triggers.</summary>
public static class PolicyIntents
{
    /// <summary>The agent's own reasons for handing off, as rule values (the agent decided; no phrase list involved).</summary>
    public static readonly IReadOnlyDictionary<string, HandoffTrigger> Triggers = new Dictionary<string, HandoffTrigger>(StringComparer.OrdinalIgnoreCase)
    {
        ["human-request"] = HandoffTrigger.CustomerAskedForHuman,
        ["angry"] = HandoffTrigger.AngryCustomer,
        ["low-confidence"] = HandoffTrigger.LowConfidence,
        ["agent-unavailable"] = HandoffTrigger.AgentUnavailable,
    };

    public static IReadOnlyList<string> All => [.. IntentDetector.Intents, .. Triggers.Keys];

    public static bool IsKnown(string value) => All.Contains(value, StringComparer.OrdinalIgnoreCase);
}
