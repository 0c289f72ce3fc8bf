using Deskbridge.Inbox;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Conversations;

/// <summary>
/// G4's last guard: two bots that answer each other (our AI and an auto-responder no rule recognised) would go on for
/// ever, so a thread gets at most <see cref="ProcessingOptions.AiReplyCap"/> AI replies per
/// <see cref="ProcessingOptions.AiReplyCapWindow"/>. A person writes far slower than that; a loop hits it within minutes.
/// </summary>
public sealed class ReplyCap(DeskbridgeDb db, IOptions<ProcessingOptions> options, TimeProvider time)
{
    public async Task<string?> WhyCappedAsync(Guid organizationId, string threadId, CancellationToken ct)
    {
        var settings = options.Value;
        // SQLite cannot compare DateTimeOffset values in SQL: the last few replies are read and their times compared here.
        var recent = await db.OutboundMessages.AsNoTracking()
            .Where(o => o.OrganizationId == organizationId && o.ThreadId == threadId && o.Kind == OutboundKind.Reply && o.State == OutboundState.Posted)
            .OrderByDescending(o => o.Id)
            .Take(settings.AiReplyCap)
            .Select(o => o.PostedAt)
            .ToListAsync(ct);
        var since = time.GetUtcNow() - settings.AiReplyCapWindow;
        return recent.Count(at => at >= since) >= settings.AiReplyCap
            ? $"Loop guard (G4): the AI already replied {settings.AiReplyCap} times on this thread within {settings.AiReplyCapWindow}; " +
              "a person does not write that fast, so the other side is probably a machine. Not answered; a human should look."
            : null;
    }
}
