using Deskbridge.Conversations;
using Deskbridge.Handoff;
using Deskbridge.EventLog;
using Deskbridge.HubSpot;
using Deskbridge.Storage;
using Deskbridge.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Processing;

/// <summary>Handles one inbox event and records its fate: done only after its effects, retried with backoff on HubSpot faults.</summary>
public sealed partial class EventRunner(
    DeskbridgeDb db,
    SecretProtector secrets,
    ConversationMessageHandler messages,
    ConversationCreationHandler creations,
    TicketPropertyChangeHandler ticketChanges,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    ILogger<EventRunner> logger,
    DeskbridgeMetrics metrics)
{
    public async Task RunAsync(long eventId, CancellationToken ct)
    {
        var inboxEvent = await db.InboxEvents.SingleOrDefaultAsync(e => e.Id == eventId, ct);
        if (inboxEvent is null || inboxEvent.Status == EventStatus.Done)
        {
            return;
        }

        inboxEvent.ProcessingAttempts++;
        // O3: one trace per event, linked to the webhook batch that brought it.
        using var activity = DeskbridgeTelemetry.StartEvent(inboxEvent);
        try
        {
            var (organization, context) = await ProcessingContext.LoadAsync(db, secrets, inboxEvent.OrganizationId, ct);
            var outcome = context is null
                ? new EventOutcome.Skipped(organization is null
                    ? "The organization no longer exists."
                    : "Organization disconnected: it has no HubSpot credentials, so nothing is processed.", null)
                : inboxEvent.SubscriptionType switch
                {
                    "conversation.newMessage" => await messages.HandleAsync(inboxEvent, context, ct),
                    "conversation.creation" => await creations.HandleAsync(inboxEvent, context, ct),
                    "ticket.propertyChange" => await ticketChanges.HandleAsync(inboxEvent, context, ct),
                    var other => new EventOutcome.Skipped($"Event type {other} is not acted on.", null),
                };
            Apply(inboxEvent, outcome);
        }
        catch (HubSpotException ex) when (!ct.IsCancellationRequested)
        {
            RetryOrFail(inboxEvent, ex.Error.ToString(), ex.Error.IsTransient, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            RetryOrFail(inboxEvent, $"{ex.GetType().Name}: {ex.Message}", transient: true, ex);
        }

        // A shutdown's cancellation never gets here: it propagates and leaves the event pending for the restart.
        await db.SaveChangesAsync(CancellationToken.None);
        DeskbridgeTelemetry.Finish(activity, inboxEvent);
        if (inboxEvent.Status == EventStatus.Done && inboxEvent.Fate is { } fate)
        {
            metrics.EventFinished(fate, inboxEvent.SubscriptionType);
        }
    }

    private void Apply(InboxEvent inboxEvent, EventOutcome outcome)
    {
        inboxEvent.SessionId = outcome.SessionId ?? inboxEvent.SessionId;
        switch (outcome)
        {
            case EventOutcome.Processed processed:
                Finish(inboxEvent, EventFate.Processed, processed.WhatWasDone);
                break;
            case EventOutcome.Skipped skipped:
                Finish(inboxEvent, EventFate.Skipped, skipped.Reason);
                break;
            case EventOutcome.Deferred deferred:
                // Not an attempt that failed: waiting does not use up the retry budget.
                inboxEvent.ProcessingAttempts--;
                inboxEvent.NextAttemptAt = deferred.NotBefore;
                inboxEvent.Reason = deferred.Why;
                break;
        }
        LogOutcome(logger, inboxEvent.Id, inboxEvent.SubscriptionType, inboxEvent.Fate?.ToString() ?? "deferred", inboxEvent.Reason ?? "");
    }

    private void RetryOrFail(InboxEvent inboxEvent, string error, bool transient, Exception exception)
    {
        var settings = options.Value;
        inboxEvent.LastError = error;
        if (transient && inboxEvent.ProcessingAttempts < settings.MaxAttempts)
        {
            var backoff = settings.RetryBaseDelay * Math.Pow(2, inboxEvent.ProcessingAttempts - 1);
            var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, backoff.TotalMilliseconds / 4)));
            inboxEvent.NextAttemptAt = time.GetUtcNow() + backoff + jitter;
            inboxEvent.Reason = $"Attempt {inboxEvent.ProcessingAttempts} failed, retrying: {error}";
            LogRetry(logger, exception, inboxEvent.Id, inboxEvent.ProcessingAttempts, error);
            return;
        }

        Finish(inboxEvent, EventFate.Failed, transient
            ? $"Gave up after {inboxEvent.ProcessingAttempts} attempts: {error}"
            : error);
        LogFailed(logger, exception, inboxEvent.Id, error);
    }

    private void Finish(InboxEvent inboxEvent, EventFate fate, string reason)
    {
        inboxEvent.Status = EventStatus.Done;
        inboxEvent.Fate = fate;
        inboxEvent.Reason = reason;
        inboxEvent.NextAttemptAt = null;
        inboxEvent.CompletedAt = time.GetUtcNow();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({SubscriptionType}): {Fate} — {Reason}")]
    private static partial void LogOutcome(ILogger logger, long eventId, string subscriptionType, string fate, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} attempt {Attempt} failed; will retry: {Error}")]
    private static partial void LogRetry(ILogger logger, Exception exception, long eventId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, Exception exception, long eventId, string error);
}
