using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Conversations;

/// <summary>
/// G5: the thread's owner once more, right before an answer goes to the customer. An answer takes a while to prepare
/// (the agent, CRM look-ups, a slow HubSpot) and a human may take the thread meanwhile. The assignment webhook
/// queues behind the message being answered, so it cannot stop the post itself; what it can do is tell this guard that
/// something changed. HubSpot's live thread is read again when an assignment or status change of the thread waits in
/// the inbox, or when more than <see cref="ProcessingOptions.OwnerRecheckAfter"/> passed since the owner check read it;
/// otherwise the owner check's read is fresh enough, and a quick answer costs no extra call.
/// </summary>
public sealed class TakeoverGuard(HubSpotClient hubSpot, DeskbridgeDb db, IOptions<ProcessingOptions> options, TimeProvider time)
{
    /// <summary>Null while the thread is still the AI's to answer; else why it is not any more.</summary>
    /// <param name="ownerReadAt">When the owner check read the thread from HubSpot.</param>
    public async Task<string?> WhyNotOursAsync(ProcessingContext context, string threadId, DateTimeOffset ownerReadAt, CancellationToken ct)
    {
        var changeWaiting = await db.InboxEvents.AsNoTracking().AnyAsync(e => e.OrganizationId == context.Organization.Id
            && e.ThreadId == threadId && e.Status == EventStatus.Pending && e.SubscriptionType == ConversationPropertyChangeHandler.Type
            && (e.PropertyName == "assignedTo" || e.PropertyName == "status"), ct);
        if (!changeWaiting && time.GetUtcNow() - ownerReadAt < options.Value.OwnerRecheckAfter)
        {
            return null;
        }
        var thread = (await hubSpot.GetThreadAsync(context.Portal, threadId, ct)).GetValueOrThrow();
        return WhyNotOurs(thread, context.AiActorId);
    }

    public static string? WhyNotOurs(HubSpotThread thread, string aiActorId)
    {
        if (IsHumanOwned(thread.AssignedTo, aiActorId))
        {
            return $"{thread.AssignedTo} took the thread while the answer was being prepared";
        }
        return thread.Status == "CLOSED" ? "the thread was closed while the answer was being prepared" : null;
    }

    /// <summary>Owned by a user other than the AI user (HubSpot's assignees are users, <c>A-</c> actors).</summary>
    public static bool IsHumanOwned(string? assignedTo, string aiActorId) =>
        !string.IsNullOrEmpty(assignedTo) && assignedTo != aiActorId;
}
