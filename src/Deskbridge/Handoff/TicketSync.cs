using Deskbridge.Agent;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Handoff;

/// <summary>
/// H3: the handed-off conversation's ticket. HubSpot's own channels already have one (found through the thread);
/// other channels get one created here. Either way it is tagged <c>opencx_handedoff</c> and assigned.
/// </summary>
public sealed class TicketSync(
    HubSpotClient hubSpot, SessionStore sessions, DeskbridgeDb db, OwnerDirectory owners, HandoffTag tag, Outcomes.OutcomeWriter outcomes)
{
    public const string HandedOffProperty = HandoffTag.PropertyName;
    public const string OwnerProperty = "hubspot_owner_id";

    // HubSpot's limit for a text property value is 65,536 characters.
    private const int MaxContentLength = 60_000;

    public sealed record Result(string? TicketId, string Sentence);

    public static bool IsHubSpotOwnedChannel(string? channelId) => channelId is HubSpotChannels.LiveChatId or HubSpotChannels.EmailId;

    public async Task<Result> SyncAsync(
        ProcessingContext context, Session session, IReadOnlyList<TranscriptEntry> transcript, ConversationAnalysis analysis, AgentHandoff decision, CancellationToken ct)
    {
        if (!context.Organization.TicketingEnabled)
        {
            return new(null, "ticketing is off, so no ticket was created or changed");
        }

        var (ticketId, linked) = await FindOrCreateAsync(context, session, transcript, analysis, decision, ct);
        if (ticketId is null)
        {
            return new(null, linked);
        }

        var assignee = await AssigneeAsync(context, session, transcript, analysis, ct);
        var properties = new Dictionary<string, string> { [HandedOffProperty] = "true" };
        if (assignee.OwnerId is { } ownerId)
        {
            properties[OwnerProperty] = ownerId;
        }

        // I4: the AI's outcome goes in the same PATCH.
        var outcome = await outcomes.ForHandoffAsync(session, decision, ct);
        foreach (var (name, value) in outcome is null ? [] : outcomes.TicketProperties(outcome))
        {
            properties[name] = value;
        }

        // HubSpot refuses the whole update when a property is missing: create it, or assign without it.
        string? tagProblem = null;
        string? outcomeProblem = null;
        var patched = await hubSpot.UpdateTicketAsync(context.Portal, ticketId, properties, ct);
        if (HandoffTag.IsMissingIn(patched.Error) || (outcome is not null && Outcomes.OutcomeWriter.Blames(patched.Error)))
        {
            if (HandoffTag.IsMissingIn(patched.Error))
            {
                var status = await tag.EnsureAsync(context.Portal, ct);
                if (!status.Exists)
                {
                    tagProblem = status.Problem;
                    properties.Remove(HandedOffProperty);
                }
            }
            if (outcome is not null && Outcomes.OutcomeWriter.Blames(patched.Error))
            {
                outcomeProblem = await outcomes.MakeWritableAsync(context.Portal, "tickets", properties, patched.Error!, ct);
            }
            patched = properties.Count == 0 ? default : await hubSpot.UpdateTicketAsync(context.Portal, ticketId, properties, ct);
        }

        if (StepErrors.Reportable(patched.Error) is { } problem)
        {
            return new(ticketId, $"{linked}, but it could not be tagged or assigned: {problem}");
        }
        var tagged = tagProblem is null ? $"tagged {HandedOffProperty}" : $"not tagged: {tagProblem}";
        var outcomeSentence = outcome is null ? "" : "; " + await outcomes.TicketWrittenAsync(session, ticketId, outcome, outcomeProblem, ct);
        return new(ticketId, $"{linked}, {tagged} and {assignee.Sentence}{outcomeSentence}");
    }

    private async Task<(string? TicketId, string Sentence)> FindOrCreateAsync(
        ProcessingContext context, Session session, IReadOnlyList<TranscriptEntry> transcript, ConversationAnalysis analysis, AgentHandoff decision, CancellationToken ct)
    {
        if (session.TicketId is { } known)
        {
            return (known, $"ticket {known} linked");
        }

        // The thread's associations hold HubSpot's ticket, or ours from an attempt that stopped before saving its id.
        var thread = await hubSpot.GetThreadAsync(context.Portal, session.ThreadId, ct);
        if (StepErrors.Reportable(thread.Error) is { } threadProblem)
        {
            return (null, $"no ticket linked: the thread could not be read ({threadProblem})");
        }
        if (thread.Value!.ThreadAssociations?.AssociatedTicketId is { } associated)
        {
            await KeepAsync(session, associated, ct);
            return (associated, $"ticket {associated} linked (found through the thread's associations)");
        }
        if (IsHubSpotOwnedChannel(session.ChannelId))
        {
            // HubSpot creates the tickets of its own channels; one of ours would be a duplicate once it does.
            return (null, $"no ticket linked: HubSpot has no ticket on {HubSpotChannels.NameOf(session.ChannelId)} thread {session.ThreadId}");
        }

        // HubSpot defines no ticket↔conversation association for the API (neither its specs nor its clients list one): the
        // ticket goes to the contact, and the thread's link lives in the session. An attempt that created the ticket but
        // stopped before saving its id is found among the contact's tickets by the session id in its content.
        if (await EarlierTicketAsync(context, session, ct) is { } earlier)
        {
            await KeepAsync(session, earlier, ct);
            return (earlier, $"ticket {earlier} linked (created by an earlier attempt)");
        }

        var associations = new List<HubSpotNewAssociation>();
        if (session.ContactId is { } contactId)
        {
            associations.Add(HubSpotNewAssociation.Defined(contactId, HubSpotAssociationTypes.TicketToContact));
        }
        var ticket = new HubSpotNewObject(new Dictionary<string, string>
        {
            ["subject"] = Subject(session, transcript),
            ["content"] = Content(analysis, decision, transcript) + SessionLine(session),
            ["hs_pipeline"] = "0",
            ["hs_pipeline_stage"] = "1",
        }, associations);
        var created = await hubSpot.CreateTicketAsync(context.Portal, ticket, ct);
        if (StepErrors.Reportable(created.Error) is { } createProblem)
        {
            return (null, $"no ticket created: {createProblem}");
        }
        await KeepAsync(session, created.Value!.Id, ct);
        return (created.Value.Id, $"ticket {created.Value.Id} created{(session.ContactId is null ? "" : $" for contact {session.ContactId}")} " +
            $"(HubSpot offers no ticket-to-conversation association, so thread {session.ThreadId} is linked in Deskbridge's session only)");
    }

    private static string SessionLine(Session session) => $"\nDeskbridge session {session.Id}";

    private async Task<string?> EarlierTicketAsync(ProcessingContext context, Session session, CancellationToken ct)
    {
        if (session.ContactId is not { } contactId)
        {
            return null;
        }
        var contact = await hubSpot.GetObjectAsync(context.Portal, "contacts", contactId, ["email"], ["tickets"], ct);
        if (StepErrors.Reportable(contact.Error) is not null || contact.Value!.AssociatedIds("tickets") is not { Count: > 0 } ticketIds)
        {
            return null;
        }
        var tickets = await hubSpot.BatchReadAsync(context.Portal, "tickets", ticketIds, ["content"], ct);
        var line = SessionLine(session);
        return StepErrors.Reportable(tickets.Error) is null
            ? tickets.Value!.Results.FirstOrDefault(t => t.Property("content")?.Contains(line, StringComparison.Ordinal) == true)?.Id
            : null;
    }

    /// <summary>Saved at once: a retried handoff links this ticket instead of creating a second one.</summary>
    private async Task KeepAsync(Session session, string ticketId, CancellationToken ct)
    {
        session.TicketId = ticketId;
        await sessions.SaveAsync(ct);
    }

    private sealed record Assignee(string? OwnerId, string Sentence);

    private async Task<Assignee> AssigneeAsync(
        ProcessingContext context, Session session, IReadOnlyList<TranscriptEntry> transcript, ConversationAnalysis analysis, CancellationToken ct)
    {
        var rules = await db.RoutingRules.AsNoTracking()
            .Where(r => r.OrganizationId == context.Organization.Id)
            .OrderBy(r => r.Position)
            .ToListAsync(ct);
        // Keywords are matched against what the customer wrote, not our replies, which would route by the AI's own words.
        var customerText = string.Join('\n', transcript.Where(t => t.Speaker == Speaker.Customer).Select(t => t.Text));
        var rule = rules.FirstOrDefault(r => r.Matches(session.ChannelId, analysis.Language, customerText));
        var userId = rule?.AssignToUserId ?? context.Connection.DefaultUserId;
        var why = rule?.Describe() ?? "the default user";

        var owner = await owners.ByUserIdAsync(context.Portal, userId, ct);
        if (StepErrors.Reportable(owner.Error) is { } problem)
        {
            return new(null, $"not assigned: user {userId} ({why}) has no HubSpot owner ({problem})");
        }
        var name = string.Join(' ', new[] { owner.Value!.FirstName, owner.Value.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return new(owner.Value.Id, $"assigned to {(name.Length > 0 ? name : owner.Value.Email ?? "user " + userId)} (owner {owner.Value.Id}, by {why})");
    }

    /// <summary>A ticket's subject: the thread's, else the customer's opening words with the channel.</summary>
    internal static string Subject(Session session, IReadOnlyList<TranscriptEntry> transcript)
    {
        if (!string.IsNullOrWhiteSpace(session.Subject))
        {
            return session.Subject;
        }
        var first = transcript.FirstOrDefault(t => t.Speaker == Speaker.Customer)?.Text.ReplaceLineEndings(" ").Trim() ?? "";
        var opening = first.Length > 80 ? first[..80] + "…" : first;
        var channel = HubSpotChannels.NameOf(session.ChannelId);
        return opening.Length > 0 ? $"{channel}: {opening}" : $"{channel} conversation {session.ThreadId}";
    }

    /// <summary>The summary and the full transcript, so the human needs nothing else to pick the conversation up.</summary>
    internal static string Content(ConversationAnalysis analysis, AgentHandoff decision, IReadOnlyList<TranscriptEntry> transcript)
    {
        var text = new System.Text.StringBuilder();
        text.Append("Handed off by the AI: ").Append(decision.Reason).Append('\n');
        text.Append("Summary: ").Append(analysis.Summary).Append("\n\nTranscript:\n");
        foreach (var entry in transcript)
        {
            text.Append('[').Append(entry.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)).Append(" UTC] ")
                .Append(entry.Speaker).Append(": ").Append(entry.Text).Append('\n');
        }
        return text.Length <= MaxContentLength ? text.ToString() : text.ToString(0, MaxContentLength) + "\n…(transcript cut at HubSpot's size limit)";
    }
}
