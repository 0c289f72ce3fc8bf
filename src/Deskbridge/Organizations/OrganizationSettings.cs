using Deskbridge.HubSpot;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Organizations;

/// <summary>A change to an organization's autopilot and switches (S5, S6); a null value leaves the setting as it is.</summary>
public sealed record SettingsUpdate(IReadOnlyList<string>? AutopilotChannels, bool? AssistMode, bool? TicketingEnabled, bool? AnswerOnlyAssignedThreads = null);

/// <summary>
/// Saves autopilot and switches. The API and the dashboard both call this, so both refuse the same input with the same words:
/// a channel that is not one of HubSpot's is refused, never silently dropped.
/// </summary>
public sealed class OrganizationSettings(DeskbridgeDb db, OrganizationDirectory directory)
{
    /// <param name="Organization">The saved organization; null when it does not exist or the update was refused.</param>
    /// <param name="Errors">Problems by field name (empty when saved).</param>
    public sealed record Result(Organization? Organization, IReadOnlyDictionary<string, string[]> Errors)
    {
        public bool NotFound => Organization is null && Errors.Count == 0;
    }

    public async Task<Result> UpdateAsync(Guid organizationId, SettingsUpdate update, CancellationToken ct)
    {
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null)
        {
            return new Result(null, new Dictionary<string, string[]>());
        }
        if (update.AutopilotChannels is { } channels)
        {
            var unknown = channels.Where(c => !HubSpotChannels.KnownNames.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
            {
                return new Result(null, new Dictionary<string, string[]>
                {
                    ["autopilotChannels"] = [$"Unknown channel(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", HubSpotChannels.KnownNames)}."],
                });
            }
            organization.AutopilotChannels = string.Join(',', channels.Select(c => c.ToLowerInvariant()).Distinct());
        }
        organization.AssistMode = update.AssistMode ?? organization.AssistMode;
        organization.TicketingEnabled = update.TicketingEnabled ?? organization.TicketingEnabled;
        organization.AnswerOnlyAssignedThreads = update.AnswerOnlyAssignedThreads ?? organization.AnswerOnlyAssignedThreads;
        await db.SaveChangesAsync(ct);
        directory.Invalidate(organizationId);
        return new Result(organization, new Dictionary<string, string[]>());
    }
}
