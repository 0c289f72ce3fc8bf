using System.Text.Json;
using Deskbridge.EventLog;
using Deskbridge.Processing;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Handoff;

/// <summary>H6: an agent's ticket edit in HubSpot becomes the linked session's custom data.</summary>
public sealed class TicketPropertyChangeHandler(DeskbridgeDb db)
{
    public async Task<EventOutcome> HandleAsync(InboxEvent inboxEvent, ProcessingContext context, CancellationToken ct)
    {
        if (!context.Organization.TicketingEnabled)
        {
            return new EventOutcome.Skipped("Ticketing is disabled for this organization (S6), so ticket edits are not synced.", null);
        }
        if (string.IsNullOrEmpty(inboxEvent.PropertyName))
        {
            return new EventOutcome.Skipped("The event names no propertyName.", null);
        }
        if (string.IsNullOrEmpty(inboxEvent.PropertyValue))
        {
            return new EventOutcome.Skipped($"The new value of {inboxEvent.PropertyName} is empty; empty values are ignored.", null);
        }

        var session = await db.Sessions.SingleOrDefaultAsync(s => s.OrganizationId == context.Organization.Id && s.TicketId == inboxEvent.ObjectId, ct);
        if (session is null)
        {
            return new EventOutcome.Skipped($"No session is linked to ticket {inboxEvent.ObjectId}.", null);
        }

        var data = JsonSerializer.Deserialize<Dictionary<string, string>>(session.CustomData) ?? [];
        var stamps = JsonSerializer.Deserialize<Dictionary<string, long>>(session.CustomDataStamps) ?? [];
        var occurredAt = inboxEvent.OccurredAt ?? 0;
        if (stamps.TryGetValue(inboxEvent.PropertyName, out var held) && held > occurredAt)
        {
            return new EventOutcome.Skipped(
                $"Out of order: {inboxEvent.PropertyName} already holds a value from a later edit (occurredAt {held} > {occurredAt}).", session.Id);
        }

        data[inboxEvent.PropertyName] = inboxEvent.PropertyValue;
        stamps[inboxEvent.PropertyName] = occurredAt;
        session.CustomData = JsonSerializer.Serialize(data);
        session.CustomDataStamps = JsonSerializer.Serialize(stamps);
        await db.SaveChangesAsync(ct);
        return new EventOutcome.Processed($"Synced {inboxEvent.PropertyName} = \"{inboxEvent.PropertyValue}\" into session {session.Id}.", session.Id);
    }
}
