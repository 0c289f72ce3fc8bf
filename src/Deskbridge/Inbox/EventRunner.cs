using Deskbridge.HubSpot;
using Deskbridge.Organizations;
using Deskbridge.Storage;
using Deskbridge.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Inbox;

/// <summary>
/// Handles one inbox event and records its fate: done only after its effects. Waiting on HubSpot (C9) is bounded by
/// time, not attempts; anything else that keeps failing is bounded by attempts, so no event holds its thread forever.
/// </summary>
public sealed partial class EventRunner(
    DeskbridgeDb db,
    SecretProtector secrets,
    HubSpotAddressPolicy addresses,
    IEnumerable<IInboxEventHandler> handlers,
    HubSpotCircuits circuits,
    ParkedOrganizations parked,
    IOptions<ProcessingOptions> options,
    IOptions<HubSpotOptions> hubSpotOptions,
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

        var attempt = inboxEvent.ProcessingAttempts + 1;
        inboxEvent.ProcessingAttempts = attempt;
        // O3: one trace per event, linked to the webhook batch that brought it.
        using var activity = InboxTracing.StartEvent(inboxEvent);
        ProcessingContext? context = null;
        Verdict verdict;
        try
        {
            (var organization, context) = await ProcessingContext.LoadAsync(db, secrets, addresses, inboxEvent.OrganizationId, ct);
            var outcome = context is null
                ? new EventOutcome.Skipped(organization is null
                    ? "The organization no longer exists."
                    : "Organization disconnected: it has no HubSpot credentials, so nothing is processed.", null, SkipCodes.Other)
                : handlers.FirstOrDefault(h => h.SubscriptionType == inboxEvent.SubscriptionType) is { } handler
                    ? await handler.HandleAsync(inboxEvent, context, ct)
                    : new EventOutcome.Skipped($"Event type {inboxEvent.SubscriptionType} is not acted on.", null, SkipCodes.NotActedOn);
            verdict = Verdict.Of(outcome, attempt, time.GetUtcNow());
        }
        catch (HubSpotException ex) when (!ct.IsCancellationRequested)
        {
            verdict = await WhenHubSpotFailsAsync(inboxEvent, context, ex.Error, attempt, ex, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            verdict = RetryOrFail(inboxEvent, Describe(ex), attempt, ex);
        }

        // A shutdown's cancellation never gets here: it propagates and leaves the event pending for the restart.
        inboxEvent = await RecordAsync(inboxEvent, verdict, attempt);
        LogOutcome(logger, inboxEvent.Id, inboxEvent.SubscriptionType, inboxEvent.Fate?.ToString() ?? "waiting", inboxEvent.Reason ?? "");
        InboxTracing.Finish(activity, inboxEvent);
        if (inboxEvent.Status == EventStatus.Done && inboxEvent.Fate is { } fate)
        {
            metrics.EventFinished(fate.ToString(), inboxEvent.SubscriptionType);
        }
    }

    /// <summary>
    /// Writes the verdict. When storage refuses it (a constraint the handler's unsaved changes broke, a row it cannot
    /// take), the handler's leftovers are dropped and the event's own bookkeeping is written alone; an outcome that
    /// cannot be stored at all counts as a failed attempt, so it ends Failed rather than spinning without a fate.
    /// </summary>
    private async Task<InboxEvent> RecordAsync(InboxEvent inboxEvent, Verdict verdict, int attempt)
    {
        verdict.ApplyTo(inboxEvent);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
            return inboxEvent;
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            LogRecordFailed(logger, ex, inboxEvent.Id);
            db.ChangeTracker.Clear();
            var fresh = await db.InboxEvents.SingleAsync(e => e.Id == inboxEvent.Id, CancellationToken.None);
            var storageError = Describe(ex);
            var fallback = verdict.Status == EventStatus.Pending || verdict.Fate == EventFate.Failed
                ? verdict
                : RetryOrFail(fresh, $"the outcome ({verdict.Fate}: {verdict.Reason}) could not be stored: {storageError}", attempt, ex);
            fallback.ApplyTo(fresh);
            // If even this fails, storage itself is down: the exception reaches the inbox processor, which backs off.
            await db.SaveChangesAsync(CancellationToken.None);
            return fresh;
        }
    }

    /// <summary>
    /// C9: answers that cannot get better (403 missing scopes, 400 validation, 401, 404, 409) fail at once with the reason.
    /// Anything HubSpot may recover from waits with capped backoff until <see cref="ProcessingOptions.RetryHorizon"/> after
    /// the event arrived; an open circuit parks the organization's events without spending an attempt.
    /// </summary>
    private async Task<Verdict> WhenHubSpotFailsAsync(InboxEvent inboxEvent, ProcessingContext? context, HubSpotError error, int attempt,
        HubSpotException exception, CancellationToken ct)
    {
        var settings = options.Value;
        var described = error.ToString();
        if (!error.IsTransient)
        {
            LogFailed(logger, exception, inboxEvent.Id, described);
            return Verdict.Failed(described, attempt, time.GetUtcNow(), described);
        }

        var now = time.GetUtcNow();
        var giveUpAt = inboxEvent.ReceivedAt + settings.RetryHorizon;
        if (error.Kind == HubSpotErrorKind.CircuitOpen && context is not null)
        {
            // Refused before reaching HubSpot: not an attempt. During a half-open trial the break has no known end; look again soon.
            var until = circuits.OpenUntil(context.Portal.PortalId) ?? now + Min(settings.RetryBaseDelay, hubSpotOptions.Value.CircuitBreakerBreakDuration);
            until = until < giveUpAt ? until : giveUpAt;
            if (until > now)
            {
                parked.Park(inboxEvent.OrganizationId, until);
                LogParked(logger, inboxEvent.Id, context.Portal.PortalId, until);
                return Verdict.Waiting(attempt - 1, until,
                    $"Waiting for HubSpot: the circuit for portal {context.Portal.PortalId} is open until {until:O} (not counted as an attempt); gives up at {giveUpAt:O}.",
                    inboxEvent.LastError ?? described);
            }
        }
        else
        {
            var next = now + Backoff(attempt, settings.MaxRetryDelay);
            // The last look is at the horizon itself, so the full horizon is waited.
            next = next < giveUpAt ? next : giveUpAt;
            if (next > now)
            {
                LogRetry(logger, exception, inboxEvent.Id, attempt, described);
                return Verdict.Waiting(attempt, next,
                    $"Waiting on HubSpot: attempt {attempt} failed ({described}); next try at {next:O}, gives up at {giveUpAt:O}.", described);
            }
        }

        return await HorizonRanOutAsync(inboxEvent, context, described, attempt, ct);
    }

    /// <summary>
    /// C9: never dropped silently. The event's handler may hand it to a human (a customer message is handed off with the
    /// reason when HubSpot takes the note by now); otherwise it is Failed with a reason that says it needs a human.
    /// </summary>
    private async Task<Verdict> HorizonRanOutAsync(InboxEvent inboxEvent, ProcessingContext? context, string error, int attempt, CancellationToken ct)
    {
        var horizon = options.Value.RetryHorizon;
        var why = $"HubSpot could not be reached for {horizon} (retry horizon ran out after {attempt} attempts; last error: {error})";
        var now = time.GetUtcNow();
        var handler = handlers.FirstOrDefault(h => h.SubscriptionType == inboxEvent.SubscriptionType);
        if (handler is null || context is null)
        {
            LogHorizon(logger, inboxEvent.Id, why);
            return Verdict.Failed($"{why}.", attempt, now, error);
        }

        try
        {
            var outcome = await handler.WhenHorizonRanOutAsync(inboxEvent, context, why, ct);
            LogHorizon(logger, inboxEvent.Id, why);
            return outcome is null
                ? Verdict.Failed($"{why}.", attempt, now, error)
                : Verdict.Of(outcome, attempt, time.GetUtcNow()) with { LastError = error };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var handoffError = ex is HubSpotException hubSpot ? hubSpot.Error.ToString() : Describe(ex);
            LogHorizon(logger, inboxEvent.Id, why);
            return Verdict.Failed($"{why}. The handoff note could not be posted either ({handoffError}): this message needs a human.", attempt, time.GetUtcNow(), error);
        }
    }

    /// <summary>Not HubSpot's doing (a bug, a poison payload, storage): a few tries with backoff, then Failed with the reason.</summary>
    private Verdict RetryOrFail(InboxEvent inboxEvent, string error, int attempt, Exception exception)
    {
        var settings = options.Value;
        if (attempt < settings.MaxAttempts)
        {
            var next = time.GetUtcNow() + Backoff(attempt, settings.MaxRetryDelay);
            LogRetry(logger, exception, inboxEvent.Id, attempt, error);
            return Verdict.Waiting(attempt, next, $"Attempt {attempt} of {settings.MaxAttempts} failed, retrying at {next:O}: {error}", error);
        }

        LogFailed(logger, exception, inboxEvent.Id, error);
        return Verdict.Failed($"Gave up after {attempt} attempts: {error}", attempt, time.GetUtcNow(), error);
    }

    private TimeSpan Backoff(int attempt, TimeSpan cap)
    {
        var exponential = options.Value.RetryBaseDelay * Math.Pow(2, Math.Min(attempt - 1, 30));
        var backoff = Min(exponential, cap);
        var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, backoff.TotalMilliseconds / 4)));
        return backoff + jitter;
    }

    /// <summary>The exception and its root cause: EF's "see the inner exception" alone says nothing.</summary>
    private static string Describe(Exception ex) =>
        ex.GetBaseException() is var root && root != ex ? $"{ex.GetType().Name}: {ex.Message} ({root.GetType().Name}: {root.Message})" : $"{ex.GetType().Name}: {ex.Message}";

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>What to write on the event row; applied again to a fresh row when the first write was refused.</summary>
    private sealed record Verdict(EventStatus Status, EventFate? Fate, string Reason, int Attempts, DateTimeOffset? NextAttemptAt,
        DateTimeOffset? CompletedAt, Guid? SessionId, string? LastError, string? SkipCode = null)
    {
        public static Verdict Of(EventOutcome outcome, int attempt, DateTimeOffset now) => outcome switch
        {
            EventOutcome.Processed p => new(EventStatus.Done, EventFate.Processed, p.WhatWasDone, attempt, null, now, p.SessionId, null),
            EventOutcome.Skipped s => new(EventStatus.Done, EventFate.Skipped, s.Reason, attempt, null, now, s.SessionId, null, s.Code),
            // Not an attempt that failed: waiting does not use up the retry budget.
            EventOutcome.Deferred d => new(EventStatus.Pending, null, d.Why, attempt - 1, d.NotBefore, null, d.SessionId, null),
            EventOutcome.TryAgain t => new(EventStatus.Pending, null, t.Why, attempt, t.NotBefore, null, t.SessionId, null),
            _ => throw new InvalidOperationException($"Unknown outcome {outcome.GetType().Name}"),
        };

        public static Verdict Waiting(int attempts, DateTimeOffset next, string reason, string? lastError) =>
            new(EventStatus.Pending, null, reason, attempts, next, null, null, lastError);

        public static Verdict Failed(string reason, int attempts, DateTimeOffset now, string? lastError) =>
            new(EventStatus.Done, EventFate.Failed, reason, attempts, null, now, null, lastError);

        public void ApplyTo(InboxEvent e)
        {
            e.Status = Status;
            e.Fate = Fate;
            e.Reason = Reason;
            e.ProcessingAttempts = Attempts;
            e.NextAttemptAt = NextAttemptAt;
            e.CompletedAt = CompletedAt;
            e.SessionId = SessionId ?? e.SessionId;
            e.LastError = LastError ?? e.LastError;
            e.SkipCode = SkipCode;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({SubscriptionType}): {Fate} — {Reason}")]
    private static partial void LogOutcome(ILogger logger, long eventId, string subscriptionType, string fate, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} attempt {Attempt} failed; will retry: {Error}")]
    private static partial void LogRetry(ILogger logger, Exception exception, long eventId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} parked: the circuit for portal {PortalId} is open until {Until}")]
    private static partial void LogParked(ILogger logger, long eventId, long portalId, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, Exception exception, long eventId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId}: {Why}")]
    private static partial void LogHorizon(ILogger logger, long eventId, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording the outcome of event {EventId} failed; recording its bookkeeping alone")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, long eventId);
}
