using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Sessions;

namespace Deskbridge.Handoff;

/// <summary>H2: the customer as a HubSpot contact: found by email, created when there is none.</summary>
public sealed class ContactSync(HubSpotClient hubSpot, SessionStore sessions)
{
    public sealed record Result(string? ContactId, string Sentence);

    public async Task<Result> SyncAsync(ProcessingContext context, Session session, CancellationToken ct)
    {
        // Known already (from the thread, or an earlier attempt of this handoff): never search or create again.
        if (session.ContactId is { } known)
        {
            return new(known, $"contact {known} linked");
        }
        if (string.IsNullOrWhiteSpace(session.CustomerEmail))
        {
            return new(null, "no contact synced (the customer's email is not known)");
        }

        var email = session.CustomerEmail.Trim();
        var search = await hubSpot.SearchContactsByEmailAsync(context.Portal, email, ["email"], ct);
        if (StepErrors.Reportable(search.Error) is { } searchProblem)
        {
            return new(null, $"contact not synced: {searchProblem}");
        }
        if (search.Value!.Results is [var found, ..])
        {
            return await KeepAsync(session, found.Id, $"contact {found.Id} found by {email}", ct);
        }

        var created = await hubSpot.CreateContactAsync(context.Portal, new Dictionary<string, string> { ["email"] = email }, ct);
        if (created.Error is { Kind: HubSpotErrorKind.Conflict, ExistingObjectId: { } existing })
        {
            // Someone (HubSpot's inbox, another handoff) created it between our search and our create.
            return await KeepAsync(session, existing, $"contact {existing} found by {email} (created meanwhile by someone else)", ct);
        }
        if (StepErrors.Reportable(created.Error) is { } createProblem)
        {
            return new(null, $"contact not created: {createProblem}");
        }
        return await KeepAsync(session, created.Value!.Id, $"contact {created.Value.Id} created for {email}", ct);
    }

    /// <summary>Saved at once, so a retried handoff finds the contact on the session instead of creating another.</summary>
    private async Task<Result> KeepAsync(Session session, string contactId, string sentence, CancellationToken ct)
    {
        session.ContactId = contactId;
        await sessions.SaveAsync(ct);
        return new(contactId, sentence);
    }
}
