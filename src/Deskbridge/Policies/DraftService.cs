using Deskbridge.Agent;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Organizations;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Deskbridge.Threads;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Policies;

/// <param name="Sent">True when the answer reached the customer (now, or by an earlier try of the same approval).</param>
public sealed record ApprovalResult(bool Sent, string Sentence, AnswerDraft? Draft);

/// <summary>
/// G1/G2: drafts held back by the send policy, and their approval — from a /send or /discard comment in HubSpot or from
/// the dashboard, both through <see cref="DecideAsync"/>. Exactly once: an approval first claims the draft
/// (Pending → Sending, one conditional update, so two approvers cannot both win), then posts through ThreadPoster's
/// intent for the customer message, so a crash or a retry between the two posts nothing twice.
/// </summary>
public sealed partial class DraftService(
    DeskbridgeDb db,
    HubSpotClient hubSpot,
    ThreadPoster poster,
    SessionStore sessions,
    Signatures.ReplySignatures signatures,
    SecretProtector secrets,
    HubSpotAddressPolicy addresses,
    TimeProvider time,
    Outcomes.OutcomeWriter outcomes,
    ILogger<DraftService> logger)
{
    public const string Instructions = "Reply with a comment: /send to send it as it is, /send followed by your text to send that instead, /discard to drop it.";

    public async Task<EventOutcome> DraftAsync(ProcessingContext context, Session session, HubSpotMessage message, PolicyVerdict verdict, CancellationToken ct)
    {
        var answer = verdict.Answer!;
        var draft = await RecordAsync(context, session, message, verdict, DraftState.Pending, ct);
        Conversations.Facts.ConversationFacts.Drafted(session, time.GetUtcNow());
        var posted = await poster.PostOnceAsync(context, session, message.Id, OutboundKind.Draft,
            $"Draft for approval. {Instructions}\n\n{answer.Text}", intent => ReplyComposer.Draft(intent), ct);
        if (draft.DraftMessageId is null)
        {
            draft.DraftMessageId = posted.PostedMessageId;
            await db.SaveChangesAsync(ct);
        }
        // An older draft of the thread answers an older question: it can no longer be sent.
        await db.AnswerDrafts
            .Where(d => d.OrganizationId == context.Organization.Id && d.ThreadId == session.ThreadId && d.Id != draft.Id && d.State == DraftState.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.State, DraftState.Stale).SetProperty(d => d.Note, "The customer wrote again; a newer draft answers them."), ct);
        return new EventOutcome.Processed(
            $"Drafted an answer as an internal comment (message {posted.PostedMessageId}, draft {draft.Id}); it waits for /send or /discard.", session.Id);
    }

    public async Task<EventOutcome> SilentAsync(ProcessingContext context, Session session, HubSpotMessage message, PolicyVerdict verdict, CancellationToken ct)
    {
        if (verdict.Answer is null)
        {
            // The agent handed off and the rule keeps quiet: no note, no ticket, the thread stays the AI's.
            return new EventOutcome.Processed("The agent's handoff was recorded only; nothing was posted and nobody was notified.", session.Id);
        }
        var draft = await RecordAsync(context, session, message, verdict, DraftState.Silent, ct);
        Conversations.Facts.ConversationFacts.Drafted(session, time.GetUtcNow());
        return new EventOutcome.Processed($"Recorded the answer only (draft {draft.Id}); nothing was posted.", session.Id);
    }

    /// <summary>A /send or /discard comment on the thread; the fate says what came of it.</summary>
    public async Task<EventOutcome> CommandAsync(ProcessingContext context, string threadId, HubSpotMessage comment, DraftCommand command, CancellationToken ct)
    {
        var session = await sessions.FindAsync(context.Organization.Id, threadId, ct);
        var actor = comment.SenderActorId ?? "unknown";
        var verb = command.Send ? (command.EditedText is null ? "/send" : "/send with an edited text") : "/discard";
        if (!actor.StartsWith("A-", StringComparison.Ordinal) || actor == context.AiActorId)
        {
            return new EventOutcome.Skipped($"{verb} from {actor}: only a human agent approves drafts.", session?.Id, SkipCodes.DraftCommand);
        }
        var draft = session is null ? null : await db.AnswerDrafts
            .Where(d => d.OrganizationId == context.Organization.Id && d.ThreadId == session.ThreadId && d.State != DraftState.Silent)
            .OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct);
        if (session is null || draft is null)
        {
            var note = await NoteAsync(context, session, comment.Id, $"{verb}: there is no AI draft on this thread.", ct);
            return new EventOutcome.Processed($"{verb} by {actor}: no draft on the thread{note}.", session?.Id);
        }

        var result = await DecideAsync(context, session, draft, command, actor, "hubspot", comment.Id, ct);
        if (!result.Sent && command.Send)
        {
            var note = await NoteAsync(context, session, comment.Id, $"Not sent: {result.Sentence}", ct);
            return new EventOutcome.Processed($"{verb} by {actor} refused: {result.Sentence}{note}", session.Id);
        }
        return new EventOutcome.Processed($"{verb} by {actor}: {result.Sentence}", session.Id);
    }

    /// <summary>The dashboard's approve (optionally with an edit) or discard; the same rules as a comment in HubSpot.</summary>
    public async Task<ApprovalResult?> DecideFromDashboardAsync(Guid organizationId, long draftId, DraftCommand command, string who, CancellationToken ct)
    {
        var draft = await db.AnswerDrafts.SingleOrDefaultAsync(d => d.OrganizationId == organizationId && d.Id == draftId && d.State != DraftState.Silent, ct);
        if (draft is null)
        {
            return null;
        }
        var (_, context) = await ProcessingContext.LoadAsync(db, secrets, addresses, organizationId, ct);
        if (context is null)
        {
            return new ApprovalResult(false, "The organization is not connected to HubSpot.", draft);
        }
        var session = await db.Sessions.SingleAsync(s => s.Id == draft.SessionId, ct);
        return await DecideAsync(context, session, draft, command, who, "dashboard", $"dashboard:{Guid.NewGuid():N}", ct);
    }

    public Task<List<AnswerDraft>> ListAsync(Guid organizationId, DraftState? state, int limit, CancellationToken ct) =>
        db.AnswerDrafts.AsNoTracking()
            .Where(d => d.OrganizationId == organizationId && (state == null || d.State == state))
            .OrderByDescending(d => d.Id).Take(limit).ToListAsync(ct);

    private async Task<ApprovalResult> DecideAsync(ProcessingContext context, Session session, AnswerDraft draft, DraftCommand command,
        string who, string via, string approvalId, CancellationToken ct)
    {
        // A retry of the approval that claimed the draft (a crash after the claim) finishes it; anyone else is told.
        var resuming = draft.State == DraftState.Sending && draft.ApprovalId == approvalId;
        if (!resuming && draft.State != DraftState.Pending)
        {
            return new ApprovalResult(false, Already(draft), draft);
        }

        if (!command.Send)
        {
            var discarded = await ClaimAsync(draft, DraftState.Discarded, who, via, approvalId, null, false, ct);
            if (discarded)
            {
                Conversations.Facts.ConversationFacts.DraftDiscarded(session, time.GetUtcNow());
                await db.SaveChangesAsync(ct);
            }
            return discarded
                ? new ApprovalResult(false, $"discarded draft {draft.Id}.", draft)
                : new ApprovalResult(false, Already(await ReloadAsync(draft, ct)), draft);
        }

        HubSpotMessage? customerMessage = null;
        if (!resuming)
        {
            var (stale, customer) = await StalenessAsync(context, draft, ct);
            if (stale is not null)
            {
                await db.AnswerDrafts.Where(d => d.Id == draft.Id && d.State == DraftState.Pending)
                    .ExecuteUpdateAsync(u => u.SetProperty(d => d.State, DraftState.Stale).SetProperty(d => d.Note, stale), ct);
                await ReloadAsync(draft, ct);
                return new ApprovalResult(false, stale, draft);
            }
            customerMessage = customer;
            var text = command.EditedText ?? draft.Text;
            if (!await ClaimAsync(draft, DraftState.Sending, who, via, approvalId, text, command.EditedText is not null, ct))
            {
                return new ApprovalResult(false, Already(await ReloadAsync(draft, ct)), draft);
            }
        }

        customerMessage ??= (await hubSpot.GetMessageAsync(context.Portal, draft.ThreadId, draft.ForMessageId, ct)).GetValueOrThrow();
        var signature = await signatures.ForReplyAsync(context, customerMessage, ct);
        var posted = await poster.PostOnceAsync(context, session, draft.ForMessageId, OutboundKind.Reply, draft.SentText!,
            intent => ReplyComposer.Reply(context, customerMessage, intent, signature), ct);
        await sessions.AddEntryAsync(session, posted.PostedMessageId!, Speaker.Ai, posted.Text, posted.PostedAt ?? time.GetUtcNow(), ct);
        draft.State = draft.Edited ? DraftState.Edited : DraftState.Approved;
        draft.SentMessageId = posted.PostedMessageId;
        await db.SaveChangesAsync(ct);
        LogDraftSent(logger, draft.Id, draft.ThreadId, who, via, draft.Edited);
        // I4: the draft became an answer, so the ticket and contact stop saying "drafted".
        var outcome = await outcomes.AfterAiActionAsync(context, session, ct) is { } written ? $"; {written}" : "";
        return new ApprovalResult(true,
            $"sent draft {draft.Id} to the customer as {context.AiActorId} (message {posted.PostedMessageId}){(draft.Edited ? ", edited" : "")}, approved by {who} ({via}){outcome}.", draft);
    }

    /// <summary>
    /// A draft may be sent only while it answers the latest customer question: nothing the customer or a human agent
    /// wrote after it. HubSpot's thread is the judge (newest first; the first page reaches back 100 messages).
    /// </summary>
    private async Task<(string? Stale, HubSpotMessage? Customer)> StalenessAsync(ProcessingContext context, AnswerDraft draft, CancellationToken ct)
    {
        var page = (await hubSpot.ListMessagesAsync(context.Portal, draft.ThreadId, MessageOrder.NewestFirst, null, ct)).GetValueOrThrow();
        var index = page.Results.ToList().FindIndex(m => m.Id == draft.ForMessageId);
        if (index < 0)
        {
            return ("the customer message it answers is no longer among the thread's latest 100 messages.", null);
        }
        foreach (var newer in page.Results.Take(index).Where(m => m.Type == "MESSAGE"))
        {
            var sender = newer.SenderActorId ?? "";
            if (newer.Direction == "INCOMING")
            {
                return ($"the customer wrote again after this draft (message {newer.Id}); it no longer answers their latest question.", null);
            }
            if (sender.StartsWith("A-", StringComparison.Ordinal) && sender != context.AiActorId)
            {
                return ($"a human agent ({sender}) already answered the customer (message {newer.Id}).", null);
            }
        }
        return (null, page.Results[index]);
    }

    private async Task<bool> ClaimAsync(AnswerDraft draft, DraftState to, string who, string via, string approvalId, string? text, bool edited, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var claimed = await db.AnswerDrafts.Where(d => d.Id == draft.Id && d.State == DraftState.Pending)
            .ExecuteUpdateAsync(u => u
                .SetProperty(d => d.State, to)
                .SetProperty(d => d.DecidedBy, who)
                .SetProperty(d => d.DecidedVia, via)
                .SetProperty(d => d.ApprovalId, approvalId)
                .SetProperty(d => d.DecidedAt, now)
                .SetProperty(d => d.SentText, text)
                .SetProperty(d => d.Edited, edited), ct) == 1;
        await ReloadAsync(draft, ct);
        return claimed;
    }

    private async Task<AnswerDraft> ReloadAsync(AnswerDraft draft, CancellationToken ct)
    {
        await db.Entry(draft).ReloadAsync(ct);
        return draft;
    }

    private static string Already(AnswerDraft draft) => draft.State switch
    {
        DraftState.Approved or DraftState.Edited or DraftState.Sending =>
            $"draft {draft.Id} was already approved by {draft.DecidedBy} ({draft.DecidedVia}) at {draft.DecidedAt:u}; it is sent once.",
        DraftState.Discarded => $"draft {draft.Id} was discarded by {draft.DecidedBy} ({draft.DecidedVia}) at {draft.DecidedAt:u}.",
        DraftState.Stale => $"draft {draft.Id} is stale: {draft.Note}",
        _ => $"draft {draft.Id} is {draft.State}.",
    };

    private async Task<AnswerDraft> RecordAsync(ProcessingContext context, Session session, HubSpotMessage message, PolicyVerdict verdict, DraftState state,
        CancellationToken ct)
    {
        // Once per customer message: a retried event finds the draft it recorded.
        var existing = await db.AnswerDrafts.SingleOrDefaultAsync(d => d.OrganizationId == context.Organization.Id && d.ForMessageId == message.Id, ct);
        if (existing is not null)
        {
            return existing;
        }
        var draft = new AnswerDraft
        {
            OrganizationId = context.Organization.Id,
            SessionId = session.Id,
            ThreadId = session.ThreadId,
            ForMessageId = message.Id,
            Text = verdict.Answer!.Text,
            Confidence = verdict.Answer.Confidence,
            Decision = verdict.Reason,
            State = state,
            CreatedAt = time.GetUtcNow(),
        };
        db.AnswerDrafts.Add(draft);
        await db.SaveChangesAsync(ct);
        return draft;
    }

    /// <summary>Why a command did nothing, as an internal comment on the thread (once per command).</summary>
    private async Task<string> NoteAsync(ProcessingContext context, Session? session, string commandId, string text, CancellationToken ct)
    {
        if (session is null)
        {
            return "";
        }
        var posted = await poster.PostOnceAsync(context, session, commandId, OutboundKind.ApprovalNote, text,
            intent => ReplyComposer.Comment(intent, withAiMarker: true), ct);
        return $"; said so in internal comment {posted.PostedMessageId}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draft {DraftId} on thread {ThreadId} sent to the customer, approved by {Approver} via {Via} (edited: {Edited})")]
    private static partial void LogDraftSent(ILogger logger, long draftId, string threadId, string approver, string via, bool edited);
}
