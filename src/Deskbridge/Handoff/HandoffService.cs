using Deskbridge.Agent;
using Deskbridge.Inbox;
using Deskbridge.Sessions;
using Deskbridge.Threads;
using Microsoft.Extensions.Options;

namespace Deskbridge.Handoff;

/// <summary>
/// H1–H5: tell the humans, on the thread, that the AI stepped back and why, with the contact, the ticket (tagged and
/// assigned) and the custom data synced to HubSpot; the AI stops answering the thread. Every step is idempotent —
/// ids are saved on the session as soon as they exist and the note is posted once — so a retried handoff repeats nothing.
/// </summary>
public sealed class HandoffService(
    ThreadPoster poster,
    SessionStore sessions,
    IConversationAnalyzer analyzer,
    ContactSync contacts,
    CrmContextLoader crmContext,
    TicketSync tickets,
    CustomDataSync customData,
    BusinessHours.CustomerNotice customerNotice,
    Outcomes.OutcomeWriter outcomes,
    IOptions<Webhooks.WebhookOptions> options,
    TimeProvider time)
{
    public async Task<EventOutcome> HandOffAsync(ProcessingContext context, Session session, string forMessageId, AgentHandoff decision, CancellationToken ct)
    {
        var transcript = await sessions.TranscriptAsync(session.Id, ct);
        var analysis = await analyzer.AnalyzeAsync(transcript, ct);

        // The contact comes first: the CRM context is the contact's, and a customer known only by email has no contact id before H2.
        var contact = await contacts.SyncAsync(context, session, ct);
        var crm = await crmContext.LoadAsync(context, session, ct);
        var ticket = await tickets.SyncAsync(context, session, transcript, analysis, decision, ct);
        var data = await customData.PushAsync(context, session, ticket.TicketId, ct);

        // G6: the customer first, so the note can say whether (and what) they were told.
        var told = await customerNotice.TellAsync(context, session, forMessageId, analysis.Language, ct);
        var note = HandoffNote.Compose(decision, analysis, SessionLink(session), crm, told.Sentence);
        var posted = await poster.PostOnceAsync(context, session, forMessageId, OutboundKind.HandoffNote, note,
            intent => ReplyComposer.Comment(intent, withAiMarker: false), ct);

        session.State = SessionState.HandedOff;
        session.HandoffReason = decision.Reason;
        session.HumanTookOver = false;
        Conversations.Facts.ConversationFacts.HandedOff(session, decision.Trigger, analysis.Language, time.GetUtcNow());
        await sessions.SaveAsync(ct);
        // I4: the contact's last outcome (the ticket's was written in its own PATCH above, so this adds no ticket call).
        var outcome = await outcomes.AfterAiActionAsync(context, session, ct);

        var done = new List<string> { contact.Sentence, ticket.Sentence, told.Sentence };
        if (data is not null)
        {
            done.Add(data);
        }
        if (outcome is not null)
        {
            done.Add(outcome);
        }
        if (crm is { MissingParts.Count: > 0 })
        {
            done.Add("CRM context partial: " + string.Join("; ", crm.MissingParts));
        }
        return new EventOutcome.Processed(
            $"Handed off ({decision.Trigger}): {decision.Reason} Internal note {posted.PostedMessageId}; {string.Join("; ", done)}.", session.Id);
    }

    public Uri SessionLink(Session session) => new(options.Value.PublicBaseOrFallback, $"sessions/{session.Id}");
}
