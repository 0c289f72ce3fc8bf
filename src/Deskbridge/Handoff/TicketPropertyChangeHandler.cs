using System.Text.Json;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Handoff;

/// <summary>H6: an agent's ticket edit in HubSpot becomes the linked session's custom data.</summary>
public sealed class TicketPropertyChangeHandler(DeskbridgeDb db) : IInboxEventHandler
{
    public const string Type = "ticket.propertyChange";

    public string SubscriptionType => Type;

    public async Task<EventOutcome> HandleAsync(InboxEvent inboxEvent, ProcessingContext context, CancellationToken ct)
    {
        if (!context.Organization.TicketingEnabled)
        {
            return new EventOutcome.Skipped("Ticketing is disabled for this organization (S6), so ticket edits are not synced.", null, SkipCodes.TicketSync);
        }
        if (string.IsNullOrEmpty(inboxEvent.PropertyName))
        {
            return new EventOutcome.Skipped("The event names no propertyName.", null, SkipCodes.TicketSync);
        }
        if (string.IsNullOrEmpty(inboxEvent.PropertyValue))
        {
            return new EventOutcome.Skipped($"The new value of {inboxEvent.PropertyName} is empty; empty values are ignored.", null, SkipCodes.TicketSync);
        }

        // A ticket can be linked to several sessions (a customer who wrote on several threads about one ticket): each gets the edit.
        // Oldest first; SQLite cannot order by DateTimeOffset, and a ticket has few sessions.
        var linked = (await db.Sessions.Where(s => s.OrganizationId == context.Organization.Id && s.TicketId == inboxEvent.ObjectId).ToListAsync(ct))
            .OrderBy(s => s.CreatedAt).ToList();
        if (linked.Count == 0)
        {
            return new EventOutcome.Skipped($"No session is linked to ticket {inboxEvent.ObjectId}.", null, SkipCodes.TicketSync);
        }

        var synced = new List<Guid>();
        var outOfOrder = new List<string>();
        var occurredAt = inboxEvent.OccurredAt ?? 0;
        foreach (var session in linked)
        {
            var data = JsonSerializer.Deserialize<Dictionary<string, string>>(session.CustomData) ?? [];
            var stamps = JsonSerializer.Deserialize<Dictionary<string, long>>(session.CustomDataStamps) ?? [];
            if (stamps.TryGetValue(inboxEvent.PropertyName, out var held) && held > occurredAt)
            {
                outOfOrder.Add($"session {session.Id} already holds a value from a later edit (occurredAt {held} > {occurredAt})");
                continue;
            }
            data[inboxEvent.PropertyName] = inboxEvent.PropertyValue;
            stamps[inboxEvent.PropertyName] = occurredAt;
            session.CustomData = JsonSerializer.Serialize(data);
            session.CustomDataStamps = JsonSerializer.Serialize(stamps);
            synced.Add(session.Id);
        }
        await db.SaveChangesAsync(ct);

        var first = linked[0].Id;
        if (synced.Count == 0)
        {
            return new EventOutcome.Skipped($"Out of order: {inboxEvent.PropertyName}: {string.Join("; ", outOfOrder)}.", first, SkipCodes.TicketSync);
        }
        var skipped = outOfOrder.Count == 0 ? "" : $" Not in {string.Join("; ", outOfOrder)}.";
        return new EventOutcome.Processed(
            $"Synced {inboxEvent.PropertyName} = \"{inboxEvent.PropertyValue}\" into session{(synced.Count == 1 ? "" : "s")} {string.Join(", ", synced)}.{skipped}", first);
    }
}
