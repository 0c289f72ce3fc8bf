using Deskbridge.Agent;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Sessions;
using Microsoft.Extensions.Caching.Memory;

namespace Deskbridge.Handoff;

/// <summary>
/// H5: what HubSpot's CRM knows about the customer, for the agent and the handoff note. Loaded once and kept briefly
/// (a conversation's messages come minutes apart); a part the token may not read is left out with the reason, never failing the reply.
/// </summary>
public sealed partial class CrmContextLoader(HubSpotClient hubSpot, IMemoryCache cache, ILogger<CrmContextLoader> logger)
{
    private static readonly TimeSpan Expiry = TimeSpan.FromMinutes(5);

    // After a transient fault, try again soon rather than answering without the part for five minutes.
    private static readonly TimeSpan DegradedExpiry = TimeSpan.FromSeconds(30);

    private const int MaxRelated = 10;

    /// <returns>Null when the customer's contact is not known yet.</returns>
    public async Task<CrmContext?> LoadAsync(ProcessingContext context, Session session, CancellationToken ct)
    {
        if (session.ContactId is not { } contactId)
        {
            return null;
        }

        // The session's own ticket is not a "previous" one; leaving it out before reading saves a call for a new customer.
        // A reconnect (new token, new scopes) starts afresh.
        var key = (nameof(CrmContextLoader), context.Organization.Id, context.Connection.ConnectedAt, contactId, session.TicketId);
        if (cache.TryGetValue(key, out CrmContext? cached) && cached is not null)
        {
            return cached;
        }

        var (crm, transient) = await FetchAsync(context.Portal, contactId, session.TicketId, ct);
        cache.Set(key, crm, transient ? DegradedExpiry : Expiry);
        if (crm.MissingParts.Count > 0)
        {
            LogDegraded(logger, context.Organization.Id, contactId, string.Join("; ", crm.MissingParts));
        }
        return crm;
    }

    private async Task<(CrmContext Crm, bool Transient)> FetchAsync(HubSpotPortal portal, string contactId, string? ownTicketId, CancellationToken ct)
    {
        var read = await hubSpot.GetObjectAsync(portal, "contacts", contactId,
            ["firstname", "lastname", "email", "phone", "hubspot_owner_id", "associatedcompanyid"], ["companies", "deals", "tickets"], ct);
        if (read.Error is { } contactError)
        {
            return (new CrmContext(null, null, [], [], [Reason("contact", contactError)]), contactError.IsTransient);
        }

        var contact = read.Value!;
        var name = string.Join(' ', new[] { contact.Property("firstname"), contact.Property("lastname") }.Where(n => n is not null));
        var crmContact = new CrmContact(contact.Id, name.Length > 0 ? name : null, contact.Property("email"), contact.Property("phone"), contact.Property("hubspot_owner_id"));

        var companyId = contact.Property("associatedcompanyid") ?? (contact.AssociatedIds("companies") is [var first, ..] ? first : null);
        var companyTask = companyId is null ? null : hubSpot.BatchReadAsync(portal, "companies", [companyId], ["name", "domain", "industry", "numberofemployees"], ct);
        var dealIds = Latest(contact.AssociatedIds("deals"));
        var dealsTask = dealIds.Count == 0 ? null : hubSpot.BatchReadAsync(portal, "deals", dealIds, ["dealname", "dealstage", "amount", "closedate"], ct);
        var ticketIds = Latest([.. contact.AssociatedIds("tickets").Where(id => id != ownTicketId)]);
        var ticketsTask = ticketIds.Count == 0 ? null : hubSpot.BatchReadAsync(portal, "tickets", ticketIds, ["subject", "hs_pipeline_stage"], ct);

        var missing = new List<string>();
        var transient = false;
        var companies = await PartAsync("company", companyTask);
        var deals = await PartAsync("deals", dealsTask);
        var tickets = await PartAsync("previous tickets", ticketsTask);

        var company = companies is [var c, ..]
            ? new CrmCompany(c.Id, c.Property("name"), c.Property("domain"), c.Property("industry"), c.Property("numberofemployees"))
            : null;
        return (new CrmContext(
            crmContact,
            company,
            [.. deals.Select(d => new CrmDeal(d.Id, d.Property("dealname"), d.Property("dealstage"), d.Property("amount"), d.Property("closedate")))],
            [.. tickets.Select(t => new CrmTicket(t.Id, t.Property("subject"), t.Property("hs_pipeline_stage")))],
            missing), transient);

        async Task<IReadOnlyList<HubSpotCrmObject>> PartAsync(string part, Task<HubSpotResult<HubSpotBatchResults>>? call)
        {
            if (call is null)
            {
                return [];
            }
            var result = await call;
            if (result.Error is { } error)
            {
                missing.Add(Reason(part, error));
                transient |= error.IsTransient;
                return [];
            }
            return result.Value!.Results;
        }
    }

    /// <summary>The most recent ones (HubSpot ids grow over time), within one batch read.</summary>
    private static List<string> Latest(IReadOnlyList<string> ids) =>
        [.. ids.OrderByDescending(id => long.TryParse(id, out var n) ? n : 0).Take(MaxRelated)];

    private static string Reason(string part, HubSpotError error) => error.Kind switch
    {
        HubSpotErrorKind.MissingScopes when error.MissingScopes.Count > 0 => $"{part}: the token lacks {string.Join(", ", error.MissingScopes)}",
        HubSpotErrorKind.NotFound => $"{part}: not found in HubSpot",
        _ => $"{part}: {error}",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "CRM context for organization {OrganizationId}, contact {ContactId} is partial: {MissingParts}")]
    private static partial void LogDegraded(ILogger logger, Guid organizationId, string contactId, string missingParts);
}
