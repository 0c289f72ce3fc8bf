using Deskbridge.Agent;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Policies;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Outcomes;

/// <summary>
/// I4: the AI's outcome of a session, read from what is authoritative (the replies posted, the drafts, the session's handoff),
/// written onto its ticket and its contact when it changed since the last write (<see cref="OutcomeRecord"/>). A write that
/// meets missing properties creates them, or leaves them out and says what an admin must do; it never fails the event.
/// </summary>
public sealed partial class OutcomeWriter(
    DeskbridgeDb db, HubSpotClient hubSpot, OutcomePropertyCheck check, IOptions<OutcomeOptions> options, TimeProvider time, ILogger<OutcomeWriter> log)
{
    private OutcomeOptions Options => options.Value;

    /// <summary>The outcome now; <paramref name="handoff"/> is the handoff in progress (the session is marked handed off after the ticket).</summary>
    public async Task<AiOutcome?> ReadAsync(Session session, AgentHandoff? handoff, CancellationToken ct)
    {
        var record = await RecordAsync(session, ct);
        if (handoff is not null)
        {
            record.HandoffTrigger = handoff.Trigger.ToString();
        }
        var replies = db.OutboundMessages.AsNoTracking()
            .Where(o => o.SessionId == session.Id && o.Kind == OutboundKind.Reply && o.State == OutboundState.Posted);
        var replyCount = await replies.CountAsync(ct);
        var handedOff = handoff is not null || session.State == SessionState.HandedOff;
        var reason = handoff?.Reason ?? session.HandoffReason;
        string? outcome;
        if (handedOff)
        {
            outcome = OutcomeValues.HandedOff;
        }
        else
        {
            // SQLite cannot order by DateTimeOffset: the newest of each by id, compared here.
            var lastReplyAt = await replies.OrderByDescending(o => o.Id).Select(o => (DateTimeOffset?)o.CreatedAt).FirstOrDefaultAsync(ct);
            // A silent record (G1) is not shown in HubSpot, so it is no outcome there either: only drafts posted for approval.
            var lastDraftAt = await db.AnswerDrafts.AsNoTracking().Where(d => d.SessionId == session.Id && d.DraftMessageId != null)
                .OrderByDescending(d => d.Id).Select(d => (DateTimeOffset?)d.CreatedAt).FirstOrDefaultAsync(ct);
            outcome = lastDraftAt is { } draftAt && (lastReplyAt is null || draftAt > lastReplyAt) ? OutcomeValues.Drafted
                : replyCount > 0 ? OutcomeValues.Answered
                : null;
        }
        // The handoff reason and trigger stay on a conversation the AI resumed: it was handed off, and reports ask why.
        return outcome is null || !Options.Enabled ? null
            : new AiOutcome(outcome, replyCount, reason, reason is null ? null : record.HandoffTrigger);
    }

    /// <summary>The ticket properties for the handoff's own PATCH (TicketSync); null when the outcome is not written.</summary>
    public async Task<AiOutcome?> ForHandoffAsync(Session session, AgentHandoff handoff, CancellationToken ct) =>
        Options.Enabled ? await ReadAsync(session, handoff, ct) : null;

    public Dictionary<string, string> TicketProperties(AiOutcome outcome) => outcome.TicketProperties(Options.HandoffReasonMaxLength);

    /// <summary>HubSpot refused an update because of one of our properties (missing, or defined differently by someone).</summary>
    public static bool Blames(HubSpotError? error) => error is { Kind: HubSpotErrorKind.BadRequest } &&
        OutcomePropertiesIn(error.Message).Any();

    private static IEnumerable<string> OutcomePropertiesIn(string message) =>
        OutcomeProperties.Ticket.Concat(OutcomeProperties.Contact).Select(p => p.Name).Where(n => message.Contains(n, StringComparison.Ordinal));

    /// <summary>
    /// After <see cref="Blames"/>: missing properties are created where the token may; those that still cannot be written
    /// leave <paramref name="properties"/>. The answer is the problem to report, or null when all may be written now.
    /// </summary>
    public async Task<string?> MakeWritableAsync(HubSpotPortal portal, string objectType, Dictionary<string, string> properties, HubSpotError error, CancellationToken ct)
    {
        if (!error.Message.Contains("PROPERTY_DOESNT_EXIST", StringComparison.Ordinal))
        {
            // Someone made a property of that name with other options or another type: ours cannot go in it.
            foreach (var name in OutcomePropertiesIn(error.Message).ToList())
            {
                properties.Remove(name);
            }
            return $"HubSpot refused the outcome properties ({error}); compare their definitions in HubSpot with Deskbridge's (see the setup guide)";
        }
        var status = await check.EnsureAsync(portal, objectType, ct);
        foreach (var name in properties.Keys.Where(n => OutcomeProperties.IsOurs(n) && !status.Existing.Contains(n)).ToList())
        {
            properties.Remove(name);
        }
        return status.Problem;
    }

    /// <summary>Remembers what the handoff's PATCH put on the ticket.</summary>
    public async Task<string> TicketWrittenAsync(Session session, string ticketId, AiOutcome outcome, string? problem, CancellationToken ct)
    {
        var record = await RecordAsync(session, ct);
        record.TicketId = ticketId;
        record.TicketWritten = outcome.TicketFingerprint(Options.WriteEveryReply);
        record.UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(ct);
        return problem is null
            ? $"AI outcome on the ticket: {outcome.Outcome}, {outcome.Replies} AI repl{(outcome.Replies == 1 ? "y" : "ies")}"
            : $"AI outcome not (fully) written on the ticket: {problem}";
    }

    /// <summary>
    /// After the AI replied, drafted or handed off: the ticket (when the organization syncs tickets and the session has one)
    /// and the contact get the outcome if it changed. Null when nothing was to be written.
    /// </summary>
    public async Task<string?> AfterAiActionAsync(ProcessingContext context, Session session, CancellationToken ct)
    {
        var ticketToWrite = context.Organization.TicketingEnabled && session.TicketId is not null;
        if (!ticketToWrite && session.ContactId is null)
        {
            // Nowhere to write it: most AI answers, so the reply's hot path pays no outcome query and no record row.
            return null;
        }
        if (await ReadAsync(session, null, ct) is not { } outcome)
        {
            return null;
        }
        var record = await RecordAsync(session, ct);
        var said = new List<string>();

        var fingerprint = outcome.TicketFingerprint(Options.WriteEveryReply);
        if (context.Organization.TicketingEnabled && session.TicketId is { } ticketId && (record.TicketId != ticketId || record.TicketWritten != fingerprint))
        {
            var (written, problem) = await WriteAsync(context.Portal, "tickets", ticketId, TicketProperties(outcome), ct);
            if (written)
            {
                record.TicketId = ticketId;
                record.TicketWritten = fingerprint;
            }
            said.Add(problem is null ? $"AI outcome on ticket {ticketId}: {outcome.Outcome}, {outcome.Replies} AI repl{(outcome.Replies == 1 ? "y" : "ies")}"
                : $"AI outcome not (fully) written on ticket {ticketId}: {problem}");
        }

        if (session.ContactId is { } contactId && (record.ContactId != contactId || record.ContactWritten != outcome.Outcome))
        {
            var (written, problem) = await WriteAsync(context.Portal, "contacts", contactId, outcome.ContactProperties(time.GetUtcNow()), ct);
            if (written)
            {
                record.ContactId = contactId;
                record.ContactWritten = outcome.Outcome;
            }
            said.Add(problem is null ? $"last AI outcome on contact {contactId}: {outcome.Outcome}"
                : $"last AI outcome not (fully) written on contact {contactId}: {problem}");
        }

        if (said.Count == 0)
        {
            return null;
        }
        record.UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(ct);
        return string.Join("; ", said);
    }

    /// <summary>The fate's text gains what was written; any other outcome stays as it is.</summary>
    public async Task<EventOutcome> NoteAsync(ProcessingContext context, Session session, EventOutcome outcome, CancellationToken ct) =>
        outcome is EventOutcome.Processed processed && await AfterAiActionAsync(context, session, ct) is { } said
            ? processed with { WhatWasDone = $"{processed.WhatWasDone.TrimEnd('.')}; {said}." }
            : outcome;

    /// <summary>
    /// Written = this change needs no second try (done, or refused for a reason a retry cannot fix, which the problem names).
    /// A transient fault is left for the next change: the reply it follows is posted already and must not be retried for it.
    /// </summary>
    private async Task<(bool Written, string? Problem)> WriteAsync(HubSpotPortal portal, string objectType, string id, Dictionary<string, string> properties, CancellationToken ct)
    {
        string? problem = null;
        if (check.KnownProblem(portal, objectType) is { } known)
        {
            // Found out minutes ago that the token cannot create them: no call that is sure to fail.
            foreach (var name in properties.Keys.Where(n => !known.Existing.Contains(n)).ToList())
            {
                properties.Remove(name);
            }
            problem = known.Problem;
            if (properties.Count == 0)
            {
                return (true, problem);
            }
        }
        var result = await hubSpot.UpdateObjectAsync(portal, objectType, id, properties, ct);
        if (Blames(result.Error))
        {
            problem = await MakeWritableAsync(portal, objectType, properties, result.Error!, ct);
            result = properties.Count == 0 ? default : await hubSpot.UpdateObjectAsync(portal, objectType, id, properties, ct);
        }
        if (result.Error is { } error)
        {
            LogNotWritten(objectType, id, error.ToString());
            return (!error.IsTransient, error.IsTransient ? $"{error}; written with the next change" : error.ToString());
        }
        return (true, problem);
    }

    private async Task<OutcomeRecord> RecordAsync(Session session, CancellationToken ct)
    {
        var record = db.OutcomeRecords.Local.FirstOrDefault(r => r.SessionId == session.Id)
            ?? await db.OutcomeRecords.FirstOrDefaultAsync(r => r.SessionId == session.Id, ct);
        if (record is null)
        {
            record = new OutcomeRecord { SessionId = session.Id, OrganizationId = session.OrganizationId };
            db.OutcomeRecords.Add(record);
        }
        return record;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AI outcome not written on {ObjectType} {Id}: {Error}")]
    private partial void LogNotWritten(string objectType, string id, string error);
}
