using Deskbridge.HubSpot;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Handoff;

/// <summary>An organization's routing rules as one list: checked, then saved in place of the old list. The API and the dashboard both save through here.</summary>
public static class RoutingRuleSet
{
    /// <returns>Problems keyed by the rule's position in the list; empty when every rule can be saved.</returns>
    public static Dictionary<int, string[]> Validate(IReadOnlyList<RoutingRuleInput> inputs)
    {
        var errors = new Dictionary<int, string[]>();
        if (inputs.Count > Accounts.InputLimits.RoutingRules)
        {
            // Keyed by the first rule past the limit; the rest are not looked at.
            errors[Accounts.InputLimits.RoutingRules] = [$"rules: at most {Accounts.InputLimits.RoutingRules} routing rules ({inputs.Count} given)."];
            return errors;
        }
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var problems = new List<string>();
            if (input.Keywords is { Count: > Accounts.InputLimits.KeywordsPerRule })
            {
                problems.Add($"keywords: at most {Accounts.InputLimits.KeywordsPerRule} keywords per rule ({input.Keywords.Count} given).");
            }
            else if (input.Keywords?.FirstOrDefault(k => k.Length > Accounts.InputLimits.Keyword) is { } longKeyword)
            {
                problems.Add($"keywords: a keyword is longer than the limit of {Accounts.InputLimits.Keyword} characters ({longKeyword.Length}).");
            }
            if (Accounts.InputLimits.TooLong(input.Channel, 50, "channel") is not null || Accounts.InputLimits.TooLong(input.Language, 50, "language") is not null)
            {
                problems.Add("channel, language: a channel name or language code is never longer than 50 characters.");
                errors[i] = [.. problems];
                continue;
            }
            if (input.AssignToUserId is not > 0)
            {
                problems.Add("assignToUserId: give the HubSpot user id as a plain number (without \"A-\").");
            }
            if (Blank(input.Channel) is { } channel && !HubSpotChannels.KnownNames.Contains(channel, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"channel: unknown channel '{channel}'. Known: {string.Join(", ", HubSpotChannels.KnownNames)}.");
            }
            if (Blank(input.Language) is { } language && (language.Length != 2 || !language.All(char.IsAsciiLetter)))
            {
                problems.Add($"language: '{language}' is not a two-letter ISO 639-1 code (e.g. en, de).");
            }
            if (input.Keywords?.Any(k => k.Contains(',', StringComparison.Ordinal)) == true)
            {
                problems.Add("keywords: give each keyword as its own list item; a keyword cannot contain a comma.");
            }
            if (problems.Count > 0)
            {
                errors[i] = [.. problems];
            }
        }
        return errors;
    }

    /// <summary>Replaces the organization's rules with <paramref name="inputs"/> (already validated), in their order.</summary>
    public static async Task<List<RoutingRule>> ReplaceAsync(DeskbridgeDb db, Guid organizationId, IReadOnlyList<RoutingRuleInput> inputs, CancellationToken ct)
    {
        var rules = inputs.Select((input, position) => new RoutingRule
        {
            OrganizationId = organizationId,
            Position = position,
            Channel = Blank(input.Channel)?.ToLowerInvariant(),
            Language = Blank(input.Language)?.ToLowerInvariant(),
            Keywords = string.Join(',', (input.Keywords ?? []).Select(k => k.Trim()).Where(k => k.Length > 0)),
            AssignToUserId = input.AssignToUserId!.Value,
        }).ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.RoutingRules.Where(r => r.OrganizationId == organizationId).ExecuteDeleteAsync(ct);
        db.RoutingRules.AddRange(rules);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return rules;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <param name="Keywords">Any one of them in the customer's words matches; empty: no keyword condition.</param>
/// <param name="AssignToUserId">HubSpot user id (a plain number, no "A-").</param>
public sealed record RoutingRuleInput(string? Channel, string? Language, IReadOnlyList<string>? Keywords, long? AssignToUserId);
