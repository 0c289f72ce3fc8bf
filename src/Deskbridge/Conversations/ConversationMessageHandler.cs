using Deskbridge.Agent;
using Deskbridge.Handoff;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Policies;
using Deskbridge.Sessions;
using Deskbridge.Threads;
using Microsoft.Extensions.Options;

namespace Deskbridge.Conversations;

/// <summary>conversation.newMessage: C1 re-fetch, C2 skip rules, C3 email delay, C6/C7 owner and assist mode, C5 reply.</summary>
public sealed class ConversationMessageHandler(
    HubSpotClient hubSpot,
    SessionStore sessions,
    ISupportAgent agent,
    ThreadPoster poster,
    HandoffService handoff,
    CrmContextLoader crm,
    Deskbridge.Signatures.ReplySignatures signatures,
    Deskbridge.Telemetry.DeskbridgeMetrics metrics,
    SendPolicy policy,
    DraftService drafts,
    ConversationControlSettings control,
    BurstWindow bursts,
    ReplyCap replyCap,
    Knowledge.Gaps.KnowledgeGapRecorder gaps,
    TakeoverGuard takeoverGuard,
    Outcomes.OutcomeWriter outcomes,
    IOptions<ProcessingOptions> options,
    TimeProvider time) : IInboxEventHandler
{
    public const string Type = "conversation.newMessage";

    public string SubscriptionType => Type;

    /// <summary>C9: a customer message is never dropped silently; when HubSpot never came back it goes to a human with the reason.</summary>
    public async Task<EventOutcome?> WhenHorizonRanOutAsync(InboxEvent inboxEvent, ProcessingContext context, string why, CancellationToken ct)
    {
        if (inboxEvent.MessageType == "COMMENT" || inboxEvent.MessageId is null)
        {
            return null;
        }

        var (session, _) = await sessions.FindOrCreateAsync(inboxEvent.OrganizationId, inboxEvent.ObjectId, ct);
        return await handoff.HandOffAsync(context, session, inboxEvent.MessageId,
            new AgentHandoff($"{why}; this message was not answered by the AI and needs a human.", HandoffTrigger.AgentUnavailable), ct);
    }

    public async Task<EventOutcome> HandleAsync(InboxEvent inboxEvent, ProcessingContext context, CancellationToken ct)
    {
        var threadId = inboxEvent.ObjectId;
        if (inboxEvent.MessageId is not { } messageId)
        {
            return new EventOutcome.Skipped("The event has no messageId, so there is no message to read back.", null, SkipCodes.MessageMissing);
        }

        // Our own posts come back as events; known by id, they need no call to HubSpot.
        if (await poster.IsOursAsync(context.Organization.Id, messageId, ct))
        {
            return new EventOutcome.Skipped("Deskbridge posted this message itself (our own AI reply or note).", null, SkipCodes.OwnMessage);
        }

        // C1: the envelope carries no body; read the message back from HubSpot.
        var fetched = await hubSpot.GetMessageAsync(context.Portal, threadId, messageId, ct);
        if (fetched.Error is { Kind: HubSpotErrorKind.NotFound })
        {
            // HubSpot may send the webhook before the message can be read (read-after-write lag): look a few more times.
            var settings = options.Value;
            if (inboxEvent.ProcessingAttempts < settings.NotFoundAttempts)
            {
                var next = time.GetUtcNow() + settings.NotFoundRetryDelay * Math.Pow(2, inboxEvent.ProcessingAttempts - 1);
                return new EventOutcome.TryAgain(next,
                    $"Message {messageId} not found on thread {threadId} yet (look {inboxEvent.ProcessingAttempts} of {settings.NotFoundAttempts}); looking again at {next:O}.", null);
            }
            return new EventOutcome.Skipped(
                $"Message {messageId} does not exist on thread {threadId} in HubSpot (not found {inboxEvent.ProcessingAttempts} times since {inboxEvent.ReceivedAt:O}).", null, SkipCodes.MessageMissing);
        }
        var message = fetched.GetValueOrThrow();
        var session = await sessions.FindAsync(context.Organization.Id, threadId, ct);

        // G2: a human's /send or /discard comment decides the thread's draft (any other comment is a note, skipped below).
        if (message.Type == "COMMENT" && !CarriesOurMarker(message) && DraftCommand.Parse(message.Text) is { } command)
        {
            return await drafts.CommandAsync(context, threadId, message, command, ct);
        }

        if (Skip(message, context, out var reason, out var transcriptSpeaker, out var skipCode))
        {
            if (session is not null && transcriptSpeaker == Speaker.HumanAgent && session.State == SessionState.HandedOff)
            {
                // A human answered the handed-off customer: the thread was taken, so giving it back to the AI user resumes it.
                session.HumanTookOver = true;
                await sessions.SaveAsync(ct);
            }
            if (session is not null && transcriptSpeaker is { } speaker && !string.IsNullOrWhiteSpace(message.Text))
            {
                // H7: what a human said on the thread joins the transcript, though we do not answer it.
                await sessions.AddEntryAsync(session, message.Id, speaker, Said(message), message.CreatedAt ?? time.GetUtcNow(), ct);
            }
            return new EventOutcome.Skipped(reason, session?.Id, skipCode);
        }
        if (MachineSenders.EmailReason(message) is { } machine)
        {
            return new EventOutcome.Skipped(machine, session?.Id, SkipCodes.MachineSender);
        }

        var channel = HubSpotChannels.NameOf(message.ChannelId);
        if (!context.Organization.IsAutopilotOn(channel))
        {
            return new EventOutcome.Skipped($"Autopilot is off for the {channel} channel (S5).", session?.Id, SkipCodes.AutopilotOff);
        }

        // C3: give HubSpot-side email workflows time to finish, without holding a worker.
        var emailDue = inboxEvent.ReceivedAt + options.Value.EmailDelay;
        if (channel == "email" && time.GetUtcNow() < emailDue)
        {
            return new EventOutcome.Deferred(emailDue, $"Email: waiting until {emailDue:O} before answering (C3).", session?.Id);
        }
        var controls = await control.EffectiveAsync(context.Organization.Id, ct);
        if (bursts.Wait(channel, inboxEvent, controls.WindowFor(channel), session?.Id) is { } waiting)
        {
            return waiting;
        }

        var thread = (await hubSpot.GetThreadAsync(context.Portal, threadId, ct)).GetValueOrThrow();
        var ownerReadAt = time.GetUtcNow();
        session ??= (await sessions.FindOrCreateAsync(context.Organization.Id, threadId, ct)).Session;
        SessionDetails.Fill(session, thread, message);
        await sessions.AddEntryAsync(session, message.Id, Speaker.Customer, Said(message), message.CreatedAt ?? time.GetUtcNow(), ct);
        if (session.AiPaused)
        {
            return new EventOutcome.Skipped(WorkflowActions.AiPause.SkipReason, session.Id, SkipCodes.AiPaused);
        }

        // G5: a thread a human took is drafted for them or answered anyway when the organization says so.
        var draftOnly = false;
        if (!context.Organization.AssistMode)
        {
            if (OwnerCheck(session, thread, context) is { } ownerReason)
            {
                var ownerCode = session.State == SessionState.HandedOff ? SkipCodes.HandedOff
                    : string.IsNullOrEmpty(thread.AssignedTo) ? SkipCodes.UnassignedThread : SkipCodes.HumanOwned;
                if (TakeoverGuard.IsHumanOwned(thread.AssignedTo, context.AiActorId))
                {
                    // I1: HubSpot's live thread says a human has it, even when no assignment event reached us.
                    Facts.ConversationFacts.HumanTook(session, ownerReadAt);
                }
                await sessions.SaveAsync(ct);
                var takenBy = session.State != SessionState.HandedOff && TakeoverGuard.IsHumanOwned(thread.AssignedTo, context.AiActorId)
                    ? controls.Takeover : TakeoverMode.Stop;
                if (takenBy == TakeoverMode.Stop)
                {
                    return new EventOutcome.Skipped(ownerReason, session.Id, ownerCode);
                }
                draftOnly = takenBy == TakeoverMode.Draft;
            }
            if (!draftOnly && await replyCap.WhyCappedAsync(context.Organization.Id, threadId, ct) is { } capped)
            {
                return new EventOutcome.Skipped(capped, session.Id, SkipCodes.ReplyCap);
            }
        }
        var burst = await bursts.CollectAsync(context, session, inboxEvent, controls.WindowFor(channel), ct);

        var request = new AgentRequest(context.Organization.Slug, await sessions.TranscriptAsync(session.Id, ct), SessionStore.CustomDataOf(session),
            agent.UsesCrmContext ? await crm.LoadAsync(context, session, ct) : null, NewMessages: burst.Count + 1);
        // The trace is the decision plus what the agent found on the way, at no extra cost (the embedded agent decides
        // through it); its customer language is the conversation's when the agent told it (I1).
        var trace = await agent.TraceAsync(request, ct);
        var decision = trace.Decision;
        Facts.ConversationFacts.LanguageTold(session, trace.CustomerLanguage);
        // G1: the send policy says what happens to the decision (the default policy: send, assist mode drafts, handoff hands off).
        var verdict = await policy.DecideAsync(context, session, message, decision, Said(message), ct);
        if (draftOnly && verdict.Action == PolicyAction.Send)
        {
            // G5: the thread is a human's and the organization keeps drafting for them: an approvable draft, not a reply.
            verdict = verdict with
            {
                Action = PolicyAction.Draft,
                Reason = $"{verdict.Reason} Takeover (G5): {thread.AssignedTo} owns the thread and the takeover setting is draft.",
            };
        }
        // I3: a question handed off because the AI was not sure is a knowledge gap.
        await gaps.RecordAsync(context.Organization.Id, session, message.Id, message.CreatedAt, Said(message), verdict, ct);
        var outcome = verdict.Stamp(verdict.Action switch
        {
            PolicyAction.Send => await ReplyAsync(context, session, message, verdict, inboxEvent.ReceivedAt, controls.Takeover, ownerReadAt, ct),
            PolicyAction.Draft => await drafts.DraftAsync(context, session, message, verdict, ct),
            PolicyAction.Silent => await drafts.SilentAsync(context, session, message, verdict, ct),
            _ => await handoff.HandOffAsync(context, session, message.Id, verdict.Handoff!, ct),
        });
        // I4: a reply or draft may change the outcome HubSpot shows (a handoff writes its own; a silent record shows nothing).
        outcome = verdict.Action is PolicyAction.Send or PolicyAction.Draft ? await outcomes.NoteAsync(context, session, outcome, ct) : outcome;
        return await FinishBurstAsync(burst, message.Id, outcome, verdict.Action, session, ct);
    }

    /// <summary>G3: the burst's other messages share this one's fate; this one's says it covered them.</summary>
    private async Task<EventOutcome> FinishBurstAsync(IReadOnlyList<BurstWindow.Follower> burst, string messageId, EventOutcome outcome, PolicyAction action,
        Session session, CancellationToken ct)
    {
        if (burst.Count == 0 || outcome is not EventOutcome.Processed processed)
        {
            return outcome;
        }
        var what = action switch
        {
            PolicyAction.Send => "answer",
            PolicyAction.HandOff => "handoff",
            PolicyAction.Silent => "silent record",
            _ => "draft",
        };
        await bursts.FinishAsync(burst, messageId, what, session.Id, ct);
        return processed with { WhatWasDone = processed.WhatWasDone + BurstWindow.Covering(burst) };
    }

    /// <summary>
    /// C2: our markers count in the new part of a message only; a reply quoting our answer is not ours. The new part only
    /// removes, so a message without a marker anywhere needs no parsing (most customer messages).
    /// </summary>
    private static bool CarriesOurMarker(HubSpotMessage message) =>
        (Markers.AppearIn(message.Text) && Markers.AppearIn(NewPart.OfText(message.Text)))
        || (Markers.AppearIn(message.RichText) && Markers.AppearIn(NewPart.OfHtml(message.RichText)));

    /// <summary>What the sender wrote this time: the transcript (and so the agent) never re-reads quoted history.</summary>
    internal static string Said(HubSpotMessage message) => NewPart.OfText(message.Text) is { Length: > 0 } said ? said : message.Text ?? "";

    /// <summary>C2: every rule has its own reason. The speaker says whose words join the transcript anyway.</summary>
    internal static bool Skip(HubSpotMessage message, ProcessingContext context, out string reason, out Speaker? transcriptSpeaker, out string code)
    {
        transcriptSpeaker = null;
        code = SkipCodes.Other;
        var sender = message.SenderActorId ?? "";
        if (message.Type == "COMMENT")
        {
            transcriptSpeaker = CarriesOurMarker(message) ? null : Speaker.InternalNote;
            reason = "Internal comment (messageType COMMENT): notes are not customer messages.";
            code = SkipCodes.InternalComment;
            return true;
        }
        if (message.Type != "MESSAGE")
        {
            reason = $"Message type {message.Type} is not a customer message.";
            code = SkipCodes.NotCustomerMessage;
            return true;
        }
        if (CarriesOurMarker(message))
        {
            reason = "The message carries Deskbridge's own AI marker: it is ours.";
            code = SkipCodes.OwnMessage;
            return true;
        }
        if (sender.StartsWith("A-", StringComparison.Ordinal))
        {
            var isAi = sender == context.AiActorId;
            transcriptSpeaker = isAi ? null : Speaker.HumanAgent;
            reason = isAi
                ? $"Sent by the AI user {sender}."
                : $"Sent by a human agent ({sender}); added to the transcript, not answered.";
            code = isAi ? SkipCodes.OwnMessage : SkipCodes.HumanAgentMessage;
            return true;
        }
        if (MachineSenders.ActorReason(sender) is { } machine)
        {
            reason = machine;
            code = SkipCodes.MachineSender;
            return true;
        }
        if (message.Direction == "OUTGOING")
        {
            reason = "Outgoing message (messageDirection OUTGOING).";
            code = SkipCodes.NotCustomerMessage;
            return true;
        }
        reason = "";
        return false;
    }

    /// <summary>
    /// C6: a thread owned by someone other than the AI user is never answered; an unassigned one is, unless the organization
    /// asks for the seed's strict rule. A handed-off thread resumes once a human took it and gave it back to the AI user.
    /// </summary>
    /// <summary>The mark of a message left unanswered for its thread's ownership; re-test (S8) counts them.</summary>
    public const string OwnershipSkipMark = "(C6)";

    private static string? OwnerCheck(Session session, HubSpotThread thread, ProcessingContext context)
    {
        var ownedByAi = thread.AssignedTo == context.AiActorId;
        var unassigned = string.IsNullOrEmpty(thread.AssignedTo);
        if (session.State == SessionState.HandedOff)
        {
            if (!ownedByAi)
            {
                session.HumanTookOver |= !unassigned;
                return $"Handed off to a human: the thread is {(unassigned ? "unassigned" : $"owned by {thread.AssignedTo}")}; reassign it to the AI user {context.AiActorId} to resume.";
            }
            if (!session.HumanTookOver)
            {
                return $"Handed off to a human ({session.HandoffReason}); the AI resumes once the thread was taken by a human and reassigned to {context.AiActorId}.";
            }
            session.State = SessionState.Active;
            session.HumanTookOver = false;
            return null;
        }
        if (ownedByAi)
        {
            return null;
        }
        if (!unassigned)
        {
            return $"The thread is owned by {thread.AssignedTo}, not the AI user {context.AiActorId} (C6).";
        }
        return context.Organization.AnswerOnlyAssignedThreads
            ? $"The thread is unassigned and this organization answers only threads assigned to the AI user {context.AiActorId} (C6)."
            : null;
    }

    private async Task<EventOutcome> ReplyAsync(ProcessingContext context, Session session, HubSpotMessage message, PolicyVerdict verdict, DateTimeOffset receivedAt,
        TakeoverMode takeover, DateTimeOffset ownerReadAt, CancellationToken ct)
    {
        var answer = verdict.Answer!;
        var signature = await signatures.ForReplyAsync(context, message, ct);
        // G5: the owner once more, right before the call; "keep answering" needs no look.
        Func<CancellationToken, Task<string?>>? guard = takeover == TakeoverMode.Answer || context.Organization.AssistMode
            ? null : token => takeoverGuard.WhyNotOursAsync(context, session.ThreadId, ownerReadAt, token);
        var attempt = await poster.TryPostOnceAsync(context, session, message.Id, OutboundKind.Reply, answer.Text,
            intent => ReplyComposer.Reply(context, message, intent, signature), guard, ct);
        if (attempt.Refused is { } refused)
        {
            return takeover == TakeoverMode.Draft
                ? await drafts.DraftAsync(context, session, message,
                    verdict with { Action = PolicyAction.Draft, Reason = $"{verdict.Reason} Takeover (G5): {refused}; the takeover setting is draft." }, ct)
                : new EventOutcome.Skipped($"Not posted (G5): {refused}; the AI stops (takeover setting: stop).", session.Id, SkipCodes.TakenOverWhileAnswering);
        }
        var posted = attempt.Posted!;
        await sessions.AddEntryAsync(session, posted.PostedMessageId!, Speaker.Ai, posted.Text, posted.PostedAt ?? time.GetUtcNow(), ct);
        metrics.ReplyPosted(receivedAt, posted.PostedAt ?? time.GetUtcNow(), HubSpotChannels.NameOf(message.ChannelId));
        return new EventOutcome.Processed($"Replied on thread {session.ThreadId} as {context.AiActorId} (message {posted.PostedMessageId}).", session.Id);
    }
}
