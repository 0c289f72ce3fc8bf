using Deskbridge.Agent;
using Deskbridge.Handoff;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Sessions;

namespace Deskbridge.WorkflowActions;

/// <summary>
/// U3 "Create HubSpot ticket from session": the session's ticket when it has one (HubSpot's own, found through the thread),
/// else one created with the summary and the transcript, associated with the contact. Unlike a handoff it neither tags nor
/// assigns the ticket: the AI keeps the conversation. A workflow asked for it, so HubSpot's own channels get one too when
/// HubSpot has none for the thread.
/// </summary>
public sealed class SessionTicket(HubSpotClient hubSpot, SessionStore sessions, IConversationAnalyzer analyzer)
{
    public sealed record Result(string? TicketId, bool Created, string Sentence);

    public async Task<Result> LinkOrCreateAsync(ProcessingContext context, Session session, HubSpotThread thread, CancellationToken ct)
    {
        if (session.TicketId is { } known)
        {
            return new(known, false, $"ticket {known} was already linked to the session");
        }
        if (thread.ThreadAssociations?.AssociatedTicketId is { } associated)
        {
            session.TicketId = associated;
            await sessions.SaveAsync(ct);
            return new(associated, false, $"ticket {associated} linked (HubSpot's ticket of thread {thread.Id})");
        }

        var transcript = await sessions.TranscriptAsync(session.Id, ct);
        var analysis = await analyzer.AnalyzeAsync(transcript, ct);
        var associations = session.ContactId is { } contactId
            ? new List<HubSpotNewAssociation> { HubSpotNewAssociation.Defined(contactId, HubSpotAssociationTypes.TicketToContact) }
            : [];
        var content = TicketSync.Content(analysis, new AgentHandoff("Ticket requested by a HubSpot workflow.", HandoffTrigger.CustomerAskedForHuman), transcript)
            .Replace("Handed off by the AI: ", "", StringComparison.Ordinal);
        var created = await hubSpot.CreateTicketAsync(context.Portal, new HubSpotNewObject(new Dictionary<string, string>
        {
            ["subject"] = Handoff.TicketSync.Subject(session, transcript),
            ["content"] = content + $"\nDeskbridge session {session.Id}",
            ["hs_pipeline"] = "0",
            ["hs_pipeline_stage"] = "1",
        }, associations), ct);
        var ticket = created.GetValueOrThrow();
        session.TicketId = ticket.Id;
        await sessions.SaveAsync(ct);
        return new(ticket.Id, true, $"ticket {ticket.Id} created{(session.ContactId is null ? "" : $" for contact {session.ContactId}")}");
    }
}
