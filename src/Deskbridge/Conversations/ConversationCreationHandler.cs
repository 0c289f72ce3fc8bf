using Deskbridge.Inbox;
using Deskbridge.Sessions;

namespace Deskbridge.Conversations;

/// <summary>C8: a new thread opens its session (or links the one a message already opened).</summary>
public sealed class ConversationCreationHandler(SessionStore sessions) : IInboxEventHandler
{
    public const string Type = "conversation.creation";

    public string SubscriptionType => Type;

    public async Task<EventOutcome> HandleAsync(InboxEvent inboxEvent, ProcessingContext context, CancellationToken ct)
    {
        var (session, created) = await sessions.FindOrCreateAsync(context.Organization.Id, inboxEvent.ObjectId, ct);
        return new EventOutcome.Processed(
            created ? $"Opened session {session.Id} for thread {inboxEvent.ObjectId}." : $"Linked thread {inboxEvent.ObjectId} to its existing session {session.Id}.",
            session.Id);
    }
}
