using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Sessions;
using Microsoft.Extensions.Caching.Memory;

namespace Deskbridge.Handoff;

/// <summary>
/// H4: the session's custom data onto the ticket as properties. HubSpot rejects a whole update for one unknown
/// property, so only properties its ticket object has are written; the rest are named in the outcome, never dropped silently.
/// </summary>
public sealed class CustomDataSync(HubSpotClient hubSpot, IMemoryCache cache)
{
    // Short: an admin who adds the missing property in HubSpot should not wait long for it to be used.
    private static readonly TimeSpan DefinitionsExpiry = TimeSpan.FromMinutes(2);

    // Set by the handoff itself (TicketSync); custom data must not undo the tag or the assignment.
    private static readonly HashSet<string> Managed = new(StringComparer.OrdinalIgnoreCase) { TicketSync.HandedOffProperty, TicketSync.OwnerProperty };

    /// <returns>What happened, or null when the session has no custom data.</returns>
    public async Task<string?> PushAsync(ProcessingContext context, Session session, string? ticketId, CancellationToken ct)
    {
        var data = SessionStore.CustomDataOf(session).Where(p => !string.IsNullOrEmpty(p.Value)).ToDictionary(p => p.Key, p => p.Value);
        if (data.Count == 0)
        {
            return null;
        }
        if (!context.Organization.TicketingEnabled)
        {
            return null;
        }
        if (ticketId is null)
        {
            return $"custom data ({string.Join(", ", data.Keys)}) not written: there is no ticket";
        }

        var definitions = await DefinitionsAsync(context.Portal, ct);
        if (StepErrors.Reportable(definitions.Error) is { } definitionsProblem)
        {
            return $"custom data not written: the ticket properties could not be read ({definitionsProblem})";
        }
        var known = definitions.Value!;
        var missing = data.Keys.Where(k => !known.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var readOnly = data.Keys.Where(k => known.TryGetValue(k, out var d) && (!d.IsWritable || Managed.Contains(k))).Order(StringComparer.Ordinal).ToList();
        var writable = data.Where(p => known.TryGetValue(p.Key, out var d) && d.IsWritable && !Managed.Contains(p.Key))
            .ToDictionary(p => p.Key, p => p.Value);

        var parts = new List<string>();
        if (writable.Count > 0)
        {
            var patched = await hubSpot.UpdateTicketAsync(context.Portal, ticketId, writable, ct);
            parts.Add(StepErrors.Reportable(patched.Error) is { } problem
                ? $"custom data ({string.Join(", ", writable.Keys.Order(StringComparer.Ordinal))}) not written: {problem}"
                : $"custom data written to the ticket: {string.Join(", ", writable.Keys.Order(StringComparer.Ordinal))}");
        }
        if (missing.Count > 0)
        {
            parts.Add($"not written, no such ticket property in HubSpot: {string.Join(", ", missing)}");
        }
        if (readOnly.Count > 0)
        {
            parts.Add($"not written, read-only or set by the handoff: {string.Join(", ", readOnly)}");
        }
        return string.Join("; ", parts);
    }

    private async Task<HubSpotResult<Dictionary<string, HubSpotPropertyDefinition>>> DefinitionsAsync(HubSpotPortal portal, CancellationToken ct)
    {
        var key = (nameof(CustomDataSync), portal.PortalId, portal.ApiBaseUrl);
        if (cache.TryGetValue(key, out Dictionary<string, HubSpotPropertyDefinition>? cached) && cached is not null)
        {
            return HubSpotResult<Dictionary<string, HubSpotPropertyDefinition>>.Ok(cached);
        }
        var read = await hubSpot.GetTicketPropertiesAsync(portal, ct);
        if (!read.IsSuccess)
        {
            return HubSpotResult<Dictionary<string, HubSpotPropertyDefinition>>.Fail(read.Error!);
        }
        var definitions = read.Value!.Results.ToDictionary(d => d.Name, StringComparer.Ordinal);
        cache.Set(key, definitions, DefinitionsExpiry);
        return HubSpotResult<Dictionary<string, HubSpotPropertyDefinition>>.Ok(definitions);
    }
}
