using Deskbridge.HubSpot;
using Deskbridge.Inbox;

namespace Deskbridge.Conversations;

/// <summary>
/// G5: the thread's owner is read again right before an answer goes to the customer. An answer takes a while to prepare
/// (the agent, CRM look-ups, a slow HubSpot), and a human may take the thread meanwhile: HubSpot's live thread, not the
/// assignment webhook (which queues behind the message being answered), is what decides. One GET per reply.
/// </summary>
public sealed class TakeoverGuard(HubSpotClient hubSpot)
{
    /// <summary>Null while the thread is still the AI's to answer; else why it is not any more.</summary>
    public async Task<string?> WhyNotOursAsync(ProcessingContext context, string threadId, CancellationToken ct)
    {
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
