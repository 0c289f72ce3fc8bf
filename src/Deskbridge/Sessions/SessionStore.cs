using System.Text.Json;
using Deskbridge.Agent;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Sessions;

/// <summary>C4/C8: the session of a thread and its transcript.</summary>
public sealed class SessionStore(DeskbridgeDb db, TimeProvider time)
{
    public Task<Session?> FindAsync(Guid organizationId, string threadId, CancellationToken ct) =>
        db.Sessions.SingleOrDefaultAsync(s => s.OrganizationId == organizationId && s.ThreadId == threadId, ct);

    public async Task<(Session Session, bool Created)> FindOrCreateAsync(Guid organizationId, string threadId, CancellationToken ct)
    {
        var session = await FindAsync(organizationId, threadId, ct);
        if (session is not null)
        {
            return (session, false);
        }

        var now = time.GetUtcNow();
        session = new Session { OrganizationId = organizationId, ThreadId = threadId, CreatedAt = now, LastActivityAt = now.ToUnixTimeMilliseconds() };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        return (session, true);
    }

    /// <summary>
    /// Adds a transcript entry once per HubSpot message, however often the event is processed; the conversation's facts
    /// (I1) count it then, in the same save, so a re-processed event counts nothing twice.
    /// </summary>
    /// <param name="answersCustomer">False for an AI post that is no answer (G6's handoff notice): not counted as an AI reply.</param>
    public async Task AddEntryAsync(Session session, string hubSpotMessageId, Speaker speaker, string text, DateTimeOffset at, CancellationToken ct,
        bool answersCustomer = true)
    {
        var exists = await db.SessionMessages.AnyAsync(m => m.SessionId == session.Id && m.HubSpotMessageId == hubSpotMessageId, ct);
        if (!exists)
        {
            db.SessionMessages.Add(new SessionMessage { SessionId = session.Id, HubSpotMessageId = hubSpotMessageId, Speaker = speaker, Text = text, At = at });
            Conversations.Facts.ConversationFacts.EntryAdded(session, speaker, text, at, answersCustomer);
            await db.SaveChangesAsync(ct);
        }
    }

    public async Task<IReadOnlyList<TranscriptEntry>> TranscriptAsync(Guid sessionId, CancellationToken ct) =>
        await db.SessionMessages.AsNoTracking()
            .Where(m => m.SessionId == sessionId)
            .OrderBy(m => m.Id)
            .Select(m => new TranscriptEntry(m.Speaker, m.Text, m.At))
            .ToListAsync(ct);

    public Task SaveAsync(CancellationToken ct) => db.SaveChangesAsync(ct);

    public static IReadOnlyDictionary<string, string> CustomDataOf(Session session) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(session.CustomData) ?? [];
}
