using Deskbridge.Agent;
using Deskbridge.Handoff;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Organizations;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.WorkflowActions;

/// <summary>What the endpoint answers: HubSpot's output fields (200), or a refusal (ProblemDetails, never a 5xx).</summary>
public abstract record ExecutionAnswer
{
    public sealed record Output(string Json, bool Replayed) : ExecutionAnswer;

    public sealed record Refused(int Status, string Title, string Detail, TimeSpan? RetryAfter = null) : ExecutionAnswer;
}

/// <summary>
/// U3: one execution of a workflow action. Routed by <c>origin.portalId</c> to the organization connected to that portal,
/// claimed by callbackId (a repeat gets the first answer), acted on the session of the enrolled object, and recorded in the
/// event log like a webhook event, with its fate. Anything HubSpot may recover from releases the claim and answers 429 with
/// Retry-After, which HubSpot retries; nothing is a 5xx.
/// </summary>
public sealed partial class WorkflowActionExecutor(
    DeskbridgeDb db,
    SecretProtector secrets,
    HubSpotAddressPolicy addresses,
    SessionStore sessions,
    HubSpotClient hubSpot,
    HandoffService handoff,
    SessionTicket tickets,
    IOptions<WorkflowActionsOptions> options,
    TimeProvider time,
    ILogger<WorkflowActionExecutor> logger)
{
    private static readonly TimeSpan RetryLater = TimeSpan.FromSeconds(30);

    public async Task<ExecutionAnswer> ExecuteAsync(WorkflowActionKind kind, ActionExecutionRequest request, string payload, CancellationToken ct)
    {
        var connections = await db.Connections.AsNoTracking().Where(c => c.PortalId == request.PortalId).Select(c => c.OrganizationId).ToListAsync(ct);
        if (connections.Count != 1)
        {
            LogUnroutable(logger, request.PortalId, request.CallbackId, connections.Count);
            return connections.Count == 0
                ? new ExecutionAnswer.Refused(StatusCodes.Status404NotFound, "Unknown portal",
                    $"No organization is connected to HubSpot portal {request.PortalId}; the execution {request.CallbackId} was not acted on.")
                : new ExecutionAnswer.Refused(StatusCodes.Status409Conflict, "Portal connected twice",
                    $"{connections.Count} organizations are connected to HubSpot portal {request.PortalId}; disconnect all but one.");
        }
        var organizationId = connections[0];

        var claim = await ClaimAsync(kind, request, organizationId, ct);
        if (claim.Answer is { } earlier)
        {
            return earlier;
        }
        var execution = claim.Execution!;

        ActionOutcome outcome;
        EventFate fate;
        string reason;
        Session? session = null;
        try
        {
            (var organization, var context) = await ProcessingContext.LoadAsync(db, secrets, addresses, organizationId, ct);
            (outcome, fate, reason, session) = context is null
                ? (Failure("organization_disconnected", null, "The organization has no HubSpot credentials (disconnected)."), EventFate.Skipped,
                    $"Workflow action {kind.Slug()}: organization {organization?.Name} is disconnected, nothing was done.", null)
                : await ActAsync(kind, request, context, ct);
        }
        catch (HubSpotException ex) when (ex.Error.IsTransient)
        {
            // HubSpot retries a 429 (with Retry-After); the actions are idempotent, so the retry may do everything again.
            db.ChangeTracker.Clear();
            await db.WorkflowExecutions.Where(e => e.Id == execution.Id).ExecuteDeleteAsync(CancellationToken.None);
            LogRetryLater(logger, request.CallbackId, ex.Error.ToString());
            return new ExecutionAnswer.Refused(StatusCodes.Status429TooManyRequests, "HubSpot is not answering",
                $"Deskbridge could not reach HubSpot for execution {request.CallbackId} ({ex.Error}); retry later.", RetryLater);
        }
        catch (HubSpotException ex)
        {
            db.ChangeTracker.Clear();
            (outcome, fate, reason) = (Failure("failed", null, ex.Error.ToString()), EventFate.Failed, $"Workflow action {kind.Slug()} failed: {ex.Error}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Not HubSpot's doing (a bug, storage): the workflow is told it failed and why, and the event log keeps it; never a 5xx.
            db.ChangeTracker.Clear();
            LogActionFailed(logger, ex, kind.Slug(), request.CallbackId);
            var why = $"Deskbridge could not act ({ex.GetType().Name}: {ex.Message})";
            (outcome, fate, reason) = (Failure("failed", null, why), EventFate.Failed, $"Workflow action {kind.Slug()} failed: {why}");
        }

        return await RecordAsync(kind, request, payload, execution.Id, organizationId, outcome, fate, reason, session);
    }

    private sealed record Claim(WorkflowExecution? Execution, ExecutionAnswer? Answer);

    private async Task<Claim> ClaimAsync(WorkflowActionKind kind, ActionExecutionRequest request, Guid organizationId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var existing = await db.WorkflowExecutions.SingleOrDefaultAsync(e => e.CallbackId == request.CallbackId, ct);
        if (existing is { ResponseJson: { } answered })
        {
            await RecordRepeatAsync(kind, request, existing, ct);
            return new(null, new ExecutionAnswer.Output(answered, Replayed: true));
        }
        if (existing is not null && now - existing.ReceivedAt < options.Value.StaleClaimAfter)
        {
            return new(null, InProgress(request));
        }
        if (existing is not null)
        {
            // An instance took it and never answered (it stopped): this retry does it, the steps are idempotent.
            existing.ReceivedAt = now;
            await db.SaveChangesAsync(ct);
            return new(existing, null);
        }

        var execution = new WorkflowExecution { CallbackId = request.CallbackId, OrganizationId = organizationId, Action = kind.Slug(), ReceivedAt = now };
        db.WorkflowExecutions.Add(execution);
        try
        {
            await db.SaveChangesAsync(ct);
            return new(execution, null);
        }
        catch (DbUpdateException)
        {
            // The same callbackId arrived twice at once (another request or instance holds it).
            db.ChangeTracker.Clear();
            return new(null, InProgress(request));
        }
    }

    private static ExecutionAnswer.Refused InProgress(ActionExecutionRequest request) =>
        new(StatusCodes.Status429TooManyRequests, "Execution in progress",
            $"Execution {request.CallbackId} is being acted on; retry for its outcome.", TimeSpan.FromSeconds(10));

    private async Task<(ActionOutcome, EventFate, string, Session?)> ActAsync(
        WorkflowActionKind kind, ActionExecutionRequest request, ProcessingContext context, CancellationToken ct)
    {
        var found = await FindSessionAsync(request, context, ct);
        if (found.Problem is { } problem)
        {
            return (Failure(found.InputProblem ? "invalid_input" : "no_session", null, problem),
                found.InputProblem ? EventFate.Rejected : EventFate.Skipped, $"Workflow action {kind.Slug()}: {problem}", null);
        }
        var (session, thread) = (found.Session!, found.Thread!);
        string what;
        string result;
        string? ticketId = session.TicketId;
        switch (kind)
        {
            case WorkflowActionKind.PauseAi:
                result = session.AiPaused ? "already_paused" : "paused";
                session.AiPaused = true;
                what = $"AI paused on thread {session.ThreadId}; customer messages are not answered until Resume AI or Send to AI.";
                break;
            case WorkflowActionKind.ResumeAi:
                result = session.AiPaused ? "resumed" : "not_paused";
                session.AiPaused = false;
                what = session.State == SessionState.HandedOff
                    ? $"Pause lifted on thread {session.ThreadId}; it stays handed off to a human (Send to AI gives it back to the AI)."
                    : $"AI resumed on thread {session.ThreadId}.";
                break;
            case WorkflowActionKind.SendToAi:
                if (thread.AssignedTo != context.AiActorId)
                {
                    var assigned = await hubSpot.AssignThreadAsync(context.Portal, thread.Id, context.AiActorId, ct);
                    if (StepErrors.Reportable(assigned.Error) is { } assignProblem)
                    {
                        return (Failure("failed", State(session), assignProblem, session), EventFate.Failed,
                            $"Workflow action send-to-ai: thread {thread.Id} could not be assigned to {context.AiActorId}: {assignProblem}", session);
                    }
                }
                result = session.State == SessionState.HandedOff ? "taken_back_from_human" : session.AiPaused ? "resumed" : "sent_to_ai";
                session.AiPaused = false;
                session.State = SessionState.Active;
                session.HumanTookOver = false;
                what = $"Thread {thread.Id} sent to the AI: assigned to {context.AiActorId}, the AI answers its customer again.";
                break;
            case WorkflowActionKind.RequestHandoff:
                if (request.Input(ActionDefinitions.ReasonField) is not { } why)
                {
                    return (Failure("invalid_input", State(session), "The reason input field is required.", session), EventFate.Rejected,
                        "Workflow action request-handoff: the reason input field is missing or empty.", session);
                }
                var handedOff = await handoff.HandOffAsync(context, session, $"workflow:{request.CallbackId}",
                    new AgentHandoff($"Requested by a HubSpot workflow: {why}", HandoffTrigger.CustomerAskedForHuman), ct);
                result = "handed_off";
                ticketId = session.TicketId;
                what = handedOff is EventOutcome.Processed processed ? processed.WhatWasDone : $"Handed off: {why}";
                break;
            case WorkflowActionKind.CreateTicket:
                var ticket = await tickets.LinkOrCreateAsync(context, session, thread, ct);
                result = ticket.Created ? "ticket_created" : "ticket_linked";
                ticketId = ticket.TicketId;
                what = $"Session of thread {session.ThreadId}: {ticket.Sentence}.";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        await sessions.SaveAsync(ct);
        var outcome = new ActionOutcome(true, result, State(session), request.Input(ActionDefinitions.ReasonField), ticketId, session.Id);
        return (outcome, EventFate.Processed, $"Workflow action {kind.Slug()} ({result}): {what}", session);
    }

    private sealed record Found(Session? Session, HubSpotThread? Thread, string? Problem, bool InputProblem = false);

    /// <summary>The conversation the execution is about: the thread id input, else the enrolled ticket's session, else the enrolled contact's latest.</summary>
    private async Task<Found> FindSessionAsync(ActionExecutionRequest request, ProcessingContext context, CancellationToken ct)
    {
        var organizationId = context.Organization.Id;
        Session? session;
        if (request.Input(ActionDefinitions.ThreadIdField) is { } threadId)
        {
            if (threadId.Length > 30 || !threadId.All(char.IsAsciiDigit))
            {
                return new(null, null, $"thread_id \"{threadId}\" is not a HubSpot thread id (digits).", InputProblem: true);
            }
            session = await sessions.FindAsync(organizationId, threadId, ct);
        }
        else if (request.ObjectType is "TICKET" or "CONTACT")
        {
            var byTicket = request.ObjectType == "TICKET";
            // Few sessions share a ticket or contact; the newest is picked here (SQLite cannot order by DateTimeOffset).
            var candidates = await db.Sessions
                .Where(s => s.OrganizationId == organizationId && (byTicket ? s.TicketId == request.ObjectId : s.ContactId == request.ObjectId))
                .ToListAsync(ct);
            session = candidates.OrderByDescending(s => s.CreatedAt).FirstOrDefault();
            if (session is null)
            {
                return new(null, null, $"No Deskbridge conversation is linked to {request.ObjectType.ToLowerInvariant()} {request.ObjectId}; " +
                    "set the thread_id input field to the conversation's thread.");
            }
            threadId = session.ThreadId;
        }
        else
        {
            return new(null, null, $"objectType {request.ObjectType} is not supported: enroll tickets or contacts, or set thread_id.", InputProblem: true);
        }

        var thread = await hubSpot.GetThreadAsync(context.Portal, threadId, ct);
        if (thread.Error is { Kind: HubSpotErrorKind.NotFound })
        {
            return new(null, null, $"Thread {threadId} does not exist in HubSpot portal {context.Portal.PortalId}.", InputProblem: true);
        }
        var found = thread.GetValueOrThrow();
        session ??= (await sessions.FindOrCreateAsync(organizationId, threadId, ct)).Session;
        session.ChannelId ??= found.OriginalChannelId;
        session.ChannelAccountId ??= found.OriginalChannelAccountId;
        session.ContactId ??= found.AssociatedContactId;
        session.TicketId ??= found.ThreadAssociations?.AssociatedTicketId;
        return new(session, found, null);
    }

    private static string State(Session session) =>
        session.AiPaused ? "paused" : session.State == SessionState.HandedOff ? "handed_off" : "active";

    private static ActionOutcome Failure(string result, string? aiState, string reason, Session? session = null) =>
        new(false, result, aiState, reason, session?.TicketId, session?.Id);

    private async Task<ExecutionAnswer> RecordAsync(WorkflowActionKind kind, ActionExecutionRequest request, string payload, long executionId,
        Guid organizationId, ActionOutcome outcome, EventFate fate, string reason, Session? session)
    {
        var now = time.GetUtcNow();
        var json = System.Text.Json.JsonSerializer.Serialize(new { outputFields = outcome.OutputFields() });
        var recorded = Event(kind, request, payload, organizationId, executionId, fate, reason, session, now);
        db.InboxEvents.Add(recorded);
        // The event row first: the execution points at it, and both are written together.
        await db.SaveChangesAsync(CancellationToken.None);
        var execution = await db.WorkflowExecutions.SingleAsync(e => e.Id == executionId, CancellationToken.None);
        execution.ResponseJson = json;
        execution.CompletedAt = now;
        execution.InboxEventId = recorded.Id;
        await db.SaveChangesAsync(CancellationToken.None);
        LogExecuted(logger, kind.Slug(), request.CallbackId, fate.ToString(), reason);
        return new ExecutionAnswer.Output(json, Replayed: false);
    }

    private async Task RecordRepeatAsync(WorkflowActionKind kind, ActionExecutionRequest request, WorkflowExecution first, CancellationToken ct)
    {
        var firstEvent = first.InboxEventId is { } id ? await db.InboxEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) : null;
        db.InboxEvents.Add(Event(kind, request, payload: "", first.OrganizationId, first.Id, EventFate.Duplicate,
            $"HubSpot repeated execution {request.CallbackId}: answered with the first execution's outcome (event {first.InboxEventId}), nothing done again.",
            null, time.GetUtcNow(), firstEvent?.ThreadId, firstEvent?.SessionId));
        await db.SaveChangesAsync(ct);
    }

    private static InboxEvent Event(WorkflowActionKind kind, ActionExecutionRequest request, string payload, Guid organizationId, long executionId,
        EventFate fate, string reason, Session? session, DateTimeOffset now, string? threadId = null, Guid? sessionId = null) => new()
    {
        OrganizationId = organizationId,
        BatchId = Guid.NewGuid(),
        ReceivedAt = now,
        EventId = request.CallbackId,
        SubscriptionType = kind.EventType(),
        ObjectId = request.ObjectId,
        Payload = payload,
        DedupKey = $"workflow-{request.CallbackId}",
        OrderingKey = $"workflow-execution-{executionId}",
        Status = EventStatus.Done,
        Fate = fate,
        Reason = reason,
        SkipCode = fate == EventFate.Skipped ? SkipCodes.Other : null,
        ProcessingAttempts = 1,
        CompletedAt = now,
        ThreadId = session?.ThreadId ?? threadId,
        SessionId = session?.Id ?? sessionId,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow execution {CallbackId} for portal {PortalId} refused: {Count} organizations are connected to it")]
    private static partial void LogUnroutable(ILogger logger, long portalId, string callbackId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow execution {CallbackId}: HubSpot unavailable ({Error}); answered 429 so HubSpot retries")]
    private static partial void LogRetryLater(ILogger logger, string callbackId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workflow action {Action} execution {CallbackId} failed")]
    private static partial void LogActionFailed(ILogger logger, Exception exception, string action, string callbackId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow action {Action} execution {CallbackId}: {Fate} — {Reason}")]
    private static partial void LogExecuted(ILogger logger, string action, string callbackId, string fate, string reason);
}
