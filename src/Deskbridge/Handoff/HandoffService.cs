using Deskbridge.Agent;
using Deskbridge.Conversations;
using Deskbridge.Processing;
using Deskbridge.Sessions;
using Microsoft.Extensions.Options;

namespace Deskbridge.Handoff;

/// <summary>H1: tell the humans, on the thread, that the AI stepped back and why; the AI stops answering the thread.</summary>
public sealed class HandoffService(ThreadPoster poster, SessionStore sessions, IConversationAnalyzer analyzer, IOptions<ProcessingOptions> options)
{
    public async Task<EventOutcome> HandOffAsync(ProcessingContext context, Session session, string forMessageId, AgentHandoff decision, CancellationToken ct)
    {
        var transcript = await sessions.TranscriptAsync(session.Id, ct);
        var analysis = await analyzer.AnalyzeAsync(transcript, ct);
        var note = HandoffNote.Compose(decision, analysis, SessionLink(session));
        var posted = await poster.PostOnceAsync(context, session, forMessageId, OutboundKind.HandoffNote, note,
            intent => ReplyComposer.Comment(intent, withAiMarker: false), ct);

        session.State = SessionState.HandedOff;
        session.HandoffReason = decision.Reason;
        session.HumanTookOver = false;
        await sessions.SaveAsync(ct);
        return new EventOutcome.Processed($"Handed off ({decision.Trigger}): {decision.Reason} Internal note {posted.PostedMessageId}.", session.Id);
    }

    public Uri SessionLink(Session session) => new(options.Value.PublicBaseUrl, $"sessions/{session.Id}");
}
