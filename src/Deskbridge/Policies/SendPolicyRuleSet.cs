using Deskbridge.HubSpot;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Policies;

/// <param name="Action">send, draft, silent or handoff.</param>
/// <param name="Hours">inside or outside (business hours); empty: any time.</param>
public sealed record SendPolicyRuleInput(
    string? Action,
    string? Channel = null,
    string? Sender = null,
    double? ConfidenceBelow = null,
    double? ConfidenceAtLeast = null,
    string? Intent = null,
    string? Language = null,
    string? Hours = null);

/// <summary>G1: an organization's send policy as one ordered list: checked, then saved in place of the old list. The API and the dashboard both save through here.</summary>
public static class SendPolicyRuleSet
{
    public const int MaxRules = 100;

    public static readonly IReadOnlyDictionary<string, PolicyAction> Actions = new Dictionary<string, PolicyAction>(StringComparer.OrdinalIgnoreCase)
    {
        ["send"] = PolicyAction.Send,
        ["draft"] = PolicyAction.Draft,
        ["silent"] = PolicyAction.Silent,
        ["handoff"] = PolicyAction.HandOff,
    };

    public static string ActionValue(PolicyAction action) => Actions.First(a => a.Value == action).Key;

    /// <returns>Problems keyed by the rule's position in the list; empty when every rule can be saved.</returns>
    public static Dictionary<int, string[]> Validate(IReadOnlyList<SendPolicyRuleInput> inputs)
    {
        var errors = new Dictionary<int, string[]>();
        if (inputs.Count > MaxRules)
        {
            errors[MaxRules] = [$"rules: at most {MaxRules} send policy rules ({inputs.Count} given)."];
            return errors;
        }
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var problems = new List<string>();
            if (new[] { input.Action, input.Channel, input.Sender, input.Intent, input.Language, input.Hours }.Any(v => v?.Length > 254))
            {
                errors[i] = ["A rule's values are never longer than 254 characters."];
                continue;
            }
            if (Blank(input.Action) is not { } action || !Actions.ContainsKey(action))
            {
                problems.Add($"action: '{input.Action}' is not an action; use one of {string.Join(", ", Actions.Keys)}.");
            }
            if (Blank(input.Channel) is { } channel && !HubSpotChannels.KnownNames.Contains(channel, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"channel: unknown channel '{channel}'. Known: {string.Join(", ", HubSpotChannels.KnownNames)}.");
            }
            if (Blank(input.Sender) is { } sender && !IsSenderPattern(sender))
            {
                problems.Add($"sender: '{sender}' is neither an email address (vip@example.com), a domain (example.com) nor a wildcard domain (*.example.com).");
            }
            foreach (var (name, value) in new[] { ("confidenceBelow", input.ConfidenceBelow), ("confidenceAtLeast", input.ConfidenceAtLeast) })
            {
                if (value is { } v && (double.IsNaN(v) || v < 0 || v > 1))
                {
                    problems.Add($"{name}: {v} is not between 0 and 1.");
                }
            }
            if (input.ConfidenceBelow is { } below && input.ConfidenceAtLeast is { } atLeast && atLeast >= below)
            {
                problems.Add($"confidenceAtLeast {atLeast} and confidenceBelow {below} leave no confidence that matches.");
            }
            if (Blank(input.Intent) is { } intent && !PolicyIntents.IsKnown(intent))
            {
                problems.Add($"intent: unknown intent '{intent}'. Known: {string.Join(", ", PolicyIntents.All)}.");
            }
            if (Blank(input.Language) is { } language && (language.Length != 2 || !language.All(char.IsAsciiLetter)))
            {
                problems.Add($"language: '{language}' is not a two-letter ISO 639-1 code (e.g. en, de).");
            }
            if (Blank(input.Hours) is { } hours && !Enum.TryParse<HoursCondition>(hours, ignoreCase: true, out _) || int.TryParse(input.Hours, out _))
            {
                problems.Add($"hours: '{input.Hours}' is not inside or outside (business hours); leave it empty for any time.");
            }
            if (problems.Count == 0 && Actions[input.Action!.Trim()] is PolicyAction.Send or PolicyAction.Draft
                && Blank(input.Intent) is { } trigger && PolicyIntents.Triggers.ContainsKey(trigger))
            {
                problems.Add($"intent: '{trigger}' is a handoff by the agent, which has no answer to {input.Action!.Trim()}; use silent or handoff.");
            }
            if (problems.Count > 0)
            {
                errors[i] = [.. problems];
            }
        }
        return errors;
    }

    /// <summary>Replaces the organization's rules with <paramref name="inputs"/> (already validated), in their order.</summary>
    public static async Task<List<SendPolicyRule>> ReplaceAsync(DeskbridgeDb db, Guid organizationId, IReadOnlyList<SendPolicyRuleInput> inputs, CancellationToken ct)
    {
        var rules = inputs.Select((input, position) => new SendPolicyRule
        {
            OrganizationId = organizationId,
            Position = position,
            Action = Actions[input.Action!.Trim()],
            Channel = Blank(input.Channel)?.ToLowerInvariant(),
            Sender = Blank(input.Sender)?.ToLowerInvariant(),
            ConfidenceBelow = input.ConfidenceBelow,
            ConfidenceAtLeast = input.ConfidenceAtLeast,
            Intent = Blank(input.Intent)?.ToLowerInvariant(),
            Language = Blank(input.Language)?.ToLowerInvariant(),
            Hours = Blank(input.Hours) is { } hours ? Enum.Parse<HoursCondition>(hours, ignoreCase: true) : null,
        }).ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SendPolicyRules.Where(r => r.OrganizationId == organizationId).ExecuteDeleteAsync(ct);
        db.SendPolicyRules.AddRange(rules);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return rules;
    }

    public static SendPolicyRuleInput ToInput(SendPolicyRule rule) => new(
        ActionValue(rule.Action), rule.Channel, rule.Sender, rule.ConfidenceBelow, rule.ConfidenceAtLeast, rule.Intent, rule.Language,
        rule.Hours?.ToString().ToLowerInvariant());

    private static bool IsSenderPattern(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return at > 0 && value.IndexOf('@', at + 1) < 0 && IsDomain(value[(at + 1)..]) && !value[..at].Any(char.IsWhiteSpace);
        }
        return IsDomain(value.StartsWith("*.", StringComparison.Ordinal) ? value[2..] : value);
    }

    private static bool IsDomain(string value) =>
        value.Contains('.', StringComparison.Ordinal) && value.Split('.').All(label => label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
