using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Sessions;
using Deskbridge.Signatures;

namespace Deskbridge.Threads;

/// <summary>C5: what goes into HubSpot's send-message body for a reply, a draft, or an internal note.</summary>
public static class ReplyComposer
{
    /// <summary>
    /// To the customer, as the AI user, on the channel and channel account the customer wrote on. Email gets the
    /// customer as recipient and a "Re:" subject, so the reply lands in the same mailbox conversation.
    /// S7: an email reply carries the signature of its sending domain (plain text in text, HTML in richText).
    /// </summary>
    public static HubSpotNewMessage Reply(ProcessingContext context, HubSpotMessage customerMessage, OutboundMessage intent, ReplySignature? signature = null)
    {
        var isEmail = customerMessage.ChannelId == HubSpotChannels.EmailId;
        var withSignature = isEmail ? signature : null;
        return new HubSpotNewMessage
        {
            Type = "MESSAGE",
            Text = withSignature is null ? intent.Text : $"{intent.Text}\n\n{withSignature.Text}",
            RichText = ThreadPoster.RichText(intent.Text, intent, withAiMarker: true, withSignature?.Html),
            SenderActorId = context.AiActorId,
            ChannelId = customerMessage.ChannelId,
            ChannelAccountId = customerMessage.ChannelAccountId,
            Subject = isEmail ? ReplySubject(customerMessage.Subject) : null,
            Recipients = RecipientsFor(customerMessage),
        };
    }

    /// <summary>C7 and H1: internal, never sent to the customer.</summary>
    public static HubSpotNewMessage Comment(OutboundMessage intent, bool withAiMarker) => new()
    {
        Type = "COMMENT",
        Text = intent.Text,
        RichText = ThreadPoster.RichText(intent.Text, intent, withAiMarker),
    };

    public static HubSpotNewMessage Draft(OutboundMessage intent) => Comment(intent, withAiMarker: true);

    private static string ReplySubject(string? subject) =>
        string.IsNullOrWhiteSpace(subject) ? "Re: your message"
        : subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? subject : $"Re: {subject}";

    /// <summary>The customer's senders, each by its delivery identifier (HubSpot is making actorId optional for email
    /// participants, so a sender without one is still addressed). The spec requires the list, so none known sends [].</summary>
    private static List<HubSpotNewRecipient> RecipientsFor(HubSpotMessage customerMessage) =>
        customerMessage.Senders?
            .Where(s => s.DeliveryIdentifier is { Value.Length: > 0 })
            .Select(s => new HubSpotNewRecipient(s.ActorId, s.Name, "TO", [s.DeliveryIdentifier!]))
            .ToList() ?? [];
}
