using System.Globalization;
using Deskbridge.Agent;
using Deskbridge.BusinessHours;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Policies;

/// <summary>
/// G1: after the agent decided, the organization's send policy says what happens to the decision: rules in order, first
/// match wins. No rule (or none matching) is the default policy, which is the behaviour before send policies existed:
/// an answer is sent (a draft in assist mode), a handoff hands off. Autopilot per channel and the owner check ran before
/// the agent was asked, so a rule never answers a channel whose autopilot is off or a thread a human owns.
/// </summary>
public sealed class SendPolicy(DeskbridgeDb db, IConversationAnalyzer analyzer, SessionStore sessions, TimeProvider time)
{
    public Task<PolicyVerdict> DecideAsync(ProcessingContext context, Session session, HubSpotMessage message, AgentDecision decision,
        string customerText, CancellationToken ct) =>
        DecideAsync(new PolicyQuestion(context.Organization, message.ChannelId, session.CustomerEmail,
            async token => (await analyzer.AnalyzeAsync(await sessions.TranscriptAsync(session.Id, token), token)).Language), decision, customerText, ct);

    /// <summary>The same rules for a message that is not on a thread (the playground asks what a rule would do).</summary>
    public async Task<PolicyVerdict> DecideAsync(PolicyQuestion question, AgentDecision decision, string customerText, CancellationToken ct)
    {
        var rules = await db.SendPolicyRules.AsNoTracking()
            .Where(r => r.OrganizationId == question.Organization.Id).OrderBy(r => r.Position).ToListAsync(ct);
        var answer = decision as AgentAnswer;
        var agentHandoff = decision as AgentHandoff;
        var assist = question.Organization.AssistMode;

        // Asked once, and only when a rule needs it: the analysis may be an LLM call, the clock a database read.
        string? language = null;
        BusinessClock? clock = null;
        IReadOnlyList<(string Intent, string Evidence)>? intents = null;

        foreach (var rule in rules)
        {
            // A rule that sends or drafts needs an answer; when the agent handed off there is nothing to send.
            if (answer is null && rule.Action is PolicyAction.Send or PolicyAction.Draft)
            {
                continue;
            }
            if (!rule.MatchesChannel(question.ChannelId) || !rule.MatchesSender(question.CustomerEmail))
            {
                continue;
            }
            if ((rule.ConfidenceBelow is { } below && answer?.Confidence >= below) || (rule.ConfidenceBelow is not null && answer is null))
            {
                continue;
            }
            if ((rule.ConfidenceAtLeast is { } atLeast && answer?.Confidence < atLeast) || (rule.ConfidenceAtLeast is not null && answer is null))
            {
                continue;
            }
            string? evidence = null;
            if (rule.Intent is { } intent)
            {
                if (PolicyIntents.Triggers.TryGetValue(intent, out var trigger))
                {
                    if (agentHandoff?.Trigger != trigger)
                    {
                        continue;
                    }
                    evidence = $"the agent handed off: {trigger}";
                }
                else
                {
                    intents ??= IntentDetector.Detect(customerText);
                    if (intents.FirstOrDefault(i => i.Intent == intent) is not { Evidence: { } found })
                    {
                        continue;
                    }
                    evidence = $"the customer wrote \"{found}\"";
                }
            }
            if (rule.Language is not null)
            {
                language ??= await question.Language(ct);
                if (!string.Equals(language, rule.Language, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
            }
            if (rule.Hours is { } hours)
            {
                clock ??= BusinessClock.From(await db.BusinessHours.AsNoTracking().SingleOrDefaultAsync(b => b.OrganizationId == question.Organization.Id, ct));
                if (clock.IsOpen(time.GetUtcNow()) != (hours == HoursCondition.Inside))
                {
                    continue;
                }
            }
            return Verdict(rule, answer, agentHandoff, assist, Why(rule, answer, evidence, language));
        }

        return Default(answer, agentHandoff, assist, rules.Count);
    }

    private static PolicyVerdict Verdict(SendPolicyRule rule, AgentAnswer? answer, AgentHandoff? agentHandoff, bool assist, string why)
    {
        var action = rule.Action;
        var said = $"Send policy {rule.Describe()} matched ({why}): {PolicyVerdict.ActionName(action)}.";
        if (action == PolicyAction.Send && assist)
        {
            // C7: assist mode never posts to the customer, whatever a rule says.
            action = PolicyAction.Draft;
            said = $"Send policy {rule.Describe()} matched ({why}): send, drafted instead because assist mode is on.";
        }
        var handoff = action != PolicyAction.HandOff ? null
            : agentHandoff ?? new AgentHandoff($"The send policy's {rule.Describe()} hands this conversation to a human ({why}).", HandoffTrigger.SendPolicy);
        return new PolicyVerdict(action, rule.Id, said, answer, handoff);
    }

    private static PolicyVerdict Default(AgentAnswer? answer, AgentHandoff? agentHandoff, bool assist, int ruleCount)
    {
        var none = ruleCount == 0 ? "no rules" : $"none of its {ruleCount} rules matched";
        if (answer is null)
        {
            return new PolicyVerdict(PolicyAction.HandOff, null, $"Default send policy ({none}): the agent handed off.", null, agentHandoff);
        }
        return assist
            ? new PolicyVerdict(PolicyAction.Draft, null, $"Default send policy ({none}): Assist mode is on, so the answer is drafted.", answer, null)
            : new PolicyVerdict(PolicyAction.Send, null, $"Default send policy ({none}): send.", answer, null);
    }

    private static string Why(SendPolicyRule rule, AgentAnswer? answer, string? intentEvidence, string? language)
    {
        var parts = new List<string>();
        if (rule.Channel is not null)
        {
            parts.Add($"channel {rule.Channel}");
        }
        if (rule.Sender is not null)
        {
            parts.Add($"sender matches {rule.Sender}");
        }
        if ((rule.ConfidenceBelow ?? rule.ConfidenceAtLeast) is not null && answer is not null)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"confidence {answer.Confidence:0.00}"));
        }
        if (intentEvidence is not null)
        {
            parts.Add(intentEvidence);
        }
        if (language is not null)
        {
            parts.Add($"language {language}");
        }
        if (rule.Hours is { } hours)
        {
            parts.Add(hours == HoursCondition.Inside ? "inside business hours" : "outside business hours");
        }
        return parts.Count == 0 ? "a catch-all" : string.Join(", ", parts);
    }
}

/// <summary>What the rules look at besides the agent's decision; the language is worked out only when a rule asks for it.</summary>
public sealed record PolicyQuestion(Organizations.Organization Organization, string? ChannelId, string? CustomerEmail, Func<CancellationToken, Task<string>> Language);
