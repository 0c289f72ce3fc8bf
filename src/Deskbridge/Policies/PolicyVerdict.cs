using Deskbridge.Agent;
using Deskbridge.Inbox;

namespace Deskbridge.Policies;

/// <summary>
/// G1: what the send policy decided for one message, and why. <see cref="Answer"/> is set for send, draft and silent;
/// <see cref="Handoff"/> for hand off.
/// </summary>
/// <param name="RuleId">The rule that matched; null for the default policy.</param>
/// <param name="Reason">Which rule decided and why, in words: the start of the event's fate.</param>
public sealed record PolicyVerdict(PolicyAction Action, long? RuleId, string Reason, AgentAnswer? Answer, AgentHandoff? Handoff)
{
    /// <summary>The fate says which rule decided before what was done.</summary>
    public EventOutcome Stamp(EventOutcome outcome) => outcome switch
    {
        EventOutcome.Processed p => p with { WhatWasDone = $"{Reason} {p.WhatWasDone}" },
        EventOutcome.Skipped s => s with { Reason = $"{Reason} {s.Reason}" },
        _ => outcome,
    };

    public static string ActionName(PolicyAction action) => action switch
    {
        PolicyAction.Send => "send",
        PolicyAction.Draft => "draft for approval",
        PolicyAction.Silent => "silent",
        _ => "hand off",
    };
}
