using Deskbridge.HubSpot;
using Deskbridge.Sessions;

namespace Deskbridge.Conversations;

internal static class SessionDetails
{
    /// <summary>Keeps what later steps (handoff, ticket sync, the session page) need to know about the thread.</summary>
    public static void Fill(Session session, HubSpotThread thread, HubSpotMessage customerMessage)
    {
        session.ChannelId ??= customerMessage.ChannelId ?? thread.OriginalChannelId;
        Facts.ConversationFacts.Channel(session, session.ChannelId);
        session.ChannelAccountId ??= customerMessage.ChannelAccountId ?? thread.OriginalChannelAccountId;
        session.ContactId ??= thread.AssociatedContactId;
        session.TicketId ??= thread.ThreadAssociations?.AssociatedTicketId;
        session.Subject ??= customerMessage.Subject;
        session.CustomerEmail ??= customerMessage.Senders?
            .Select(s => s.DeliveryIdentifier)
            .FirstOrDefault(d => d?.Type == "HS_EMAIL_ADDRESS")?.Value;
    }
}
