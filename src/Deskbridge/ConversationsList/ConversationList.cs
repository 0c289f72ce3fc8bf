using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.ConversationsList;

/// <summary>One row of the list: the conversation's facts, no transcript.</summary>
public sealed record ConversationRow(
    Guid Id, string ThreadId, ConversationStatus Status, string? Channel, string? Language, string? CustomerEmail, string? ContactId,
    string? Subject, int CustomerMessages, int AiReplies, long? FirstCustomerMessageAt, long? FirstAiReplyAt, long? HandedOffAt,
    string? HandoffTrigger, string? HandoffReason, long? HumanTakeoverAt, long LastActivityAt);

/// <param name="Next">The page after this one (older activity), when there is one.</param>
/// <param name="Previous">The page before this one (newer activity), when there is one.</param>
public sealed record ConversationPage(IReadOnlyList<ConversationRow> Rows, ConversationCursor? Next, ConversationCursor? Previous);

/// <summary>
/// I1: an organization's conversations (sessions), newest activity first, filtered by their facts. The API and the
/// dashboard page both ask here. Paging is keyset on (LastActivityAt, Id) over the (OrganizationId, LastActivityAt) and
/// (OrganizationId, Status, LastActivityAt) indexes: a page reads its rows and one more, however deep it is.
/// </summary>
public sealed class ConversationList(DeskbridgeDb db)
{
    public async Task<ConversationPage> ListAsync(Guid organizationId, ConversationFilter filter, CancellationToken ct)
    {
        var sessions = Filtered(db.Sessions.AsNoTracking().Where(s => s.OrganizationId == organizationId), filter);
        var cursor = filter.Cursor;
        var newer = cursor is { Older: false };
        if (cursor is not null)
        {
            var (at, id) = (cursor.LastActivityAt, cursor.Id);
            // Written as a range on LastActivityAt plus a tie-break, so the index's range scan starts at the cursor.
            sessions = cursor.Older
                ? sessions.Where(s => s.LastActivityAt <= at && (s.LastActivityAt < at || s.Id.CompareTo(id) < 0))
                : sessions.Where(s => s.LastActivityAt >= at && (s.LastActivityAt > at || s.Id.CompareTo(id) > 0));
        }
        var ordered = newer
            ? sessions.OrderBy(s => s.LastActivityAt).ThenBy(s => s.Id)
            : sessions.OrderByDescending(s => s.LastActivityAt).ThenByDescending(s => s.Id);

        var rows = await ordered.Take(filter.Limit + 1)
            .Select(s => new ConversationRow(s.Id, s.ThreadId, s.Status, s.Channel, s.Language, s.CustomerEmail, s.ContactId, s.Subject,
                s.CustomerMessages, s.AiReplies, s.FirstCustomerMessageAt, s.FirstAiReplyAt, s.HandedOffAt, s.HandoffTrigger, s.HandoffReason,
                s.HumanTakeoverAt, s.LastActivityAt))
            .ToListAsync(ct);
        var more = rows.Count > filter.Limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        if (newer)
        {
            rows.Reverse();
        }
        if (rows.Count == 0)
        {
            return new ConversationPage(rows, null, null);
        }

        // Reading older: a cursor means someone came from newer rows; reading newer: they came from older ones.
        var hasOlder = newer || more;
        var hasNewer = newer ? more : cursor is not null;
        return new ConversationPage(rows,
            hasOlder ? new ConversationCursor(true, rows[^1].LastActivityAt, rows[^1].Id) : null,
            hasNewer ? new ConversationCursor(false, rows[0].LastActivityAt, rows[0].Id) : null);
    }

    // ToLower() then StartsWith/Contains is what both providers translate (lower() and LIKE/strpos); the StringComparison
    // overloads CA1862 asks for are not.
#pragma warning disable CA1862
    private static IQueryable<Session> Filtered(IQueryable<Session> sessions, ConversationFilter filter)
    {
        if (filter.Status is { } status)
        {
            sessions = sessions.Where(s => s.Status == status);
        }
        if (filter.Channel is { } channel)
        {
            sessions = sessions.Where(s => s.Channel == channel);
        }
        if (filter.Language is { } language)
        {
            sessions = sessions.Where(s => s.Language == language);
        }
        if (filter.FromMs is { } from)
        {
            sessions = sessions.Where(s => s.FirstCustomerMessageAt >= from);
        }
        if (filter.ToMs is { } to)
        {
            sessions = sessions.Where(s => s.FirstCustomerMessageAt < to);
        }
        if (filter.Trigger is { } trigger)
        {
            var name = trigger.ToString();
            sessions = sessions.Where(s => s.HandoffTrigger == name);
        }
        // Emails are compared lower-cased on both sides (PostgreSQL's LIKE is case-sensitive, SQLite's is not); contact ids are digits.
        if (filter.Customer is { } customer)
        {
            sessions = sessions.Where(s => (s.CustomerEmail != null && s.CustomerEmail.ToLower().StartsWith(customer))
                || (s.ContactId != null && s.ContactId.StartsWith(customer)));
        }
        if (filter.Reason is { } reason)
        {
            sessions = sessions.Where(s => s.HandoffReason != null && s.HandoffReason.ToLower().Contains(reason));
        }
        if (filter.Text is { } text)
        {
            sessions = sessions.Where(s => s.ThreadId == text
                || (s.Subject != null && s.Subject.ToLower().Contains(text))
                || (s.CustomerEmail != null && s.CustomerEmail.ToLower().Contains(text))
                || (s.HandoffReason != null && s.HandoffReason.ToLower().Contains(text)));
        }
        return sessions;
    }
#pragma warning restore CA1862
}
