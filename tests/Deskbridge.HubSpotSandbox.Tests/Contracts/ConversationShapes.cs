using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests.Contracts;

/// <summary>Conversations v3 response shapes, as the spec's schemas define them (PublicThread, PublicMessage and its kinds).</summary>
public static class ConversationShapes
{
    public static readonly string[] DeliveryIdentifierTypes = ["CHANNEL_SPECIFIC_OPAQUE_ID", "HS_EMAIL_ADDRESS", "HS_PHONE_NUMBER", "HS_SHORT_CODE"];

    public static void Thread(JsonNode? thread)
    {
        Expect.Fields(thread, "PublicThread",
            ("id", Json.Text), ("createdAt", Json.DateTime), ("status", Json.Text), ("archived", Json.Boolean), ("spam", Json.Boolean),
            ("inboxId", Json.Text), ("associatedContactId", Json.Text), ("originalChannelId", Json.Text), ("originalChannelAccountId", Json.Text));
        Expect.OneOf(thread!["status"], "PublicThread.status", "CLOSED", "OPEN");
        Expect.Optional(thread, "PublicThread",
            ("closedAt", Json.DateTime), ("latestMessageTimestamp", Json.DateTime), ("latestMessageSentTimestamp", Json.DateTime),
            ("latestMessageReceivedTimestamp", Json.DateTime), ("assignedTo", Json.Text), ("threadAssociations", Json.Map));
        if (thread["threadAssociations"] is { } associations)
        {
            Expect.Optional(associations, "PublicThreadAssociations", ("associatedTicketId", Json.Text));
        }
    }

    /// <summary>PublicMessage is a oneOf told apart by type; each kind has its own required fields.</summary>
    public static void Message(JsonNode? message)
    {
        Expect.Fields(message, "PublicMessage", ("type", Json.Text));
        var type = message!["type"].Str();
        (string, Json)[] common =
        [
            ("id", Json.Text), ("conversationsThreadId", Json.Text), ("createdAt", Json.DateTime), ("createdBy", Json.Text),
            ("archived", Json.Boolean), ("client", Json.Map), ("senders", Json.Array), ("recipients", Json.Array),
        ];
        switch (type)
        {
            case "MESSAGE":
                Expect.Fields(message, "PublicConversationsMessage", [.. common,
                    ("text", Json.Text), ("attachments", Json.Array), ("channelId", Json.Text), ("channelAccountId", Json.Text),
                    ("direction", Json.Text), ("truncationStatus", Json.Text)]);
                Expect.OneOf(message["direction"], "message.direction", "INCOMING", "OUTGOING");
                Expect.OneOf(message["truncationStatus"], "message.truncationStatus", "NOT_TRUNCATED", "TRUNCATED", "TRUNCATED_TO_MOST_RECENT_REPLY");
                Expect.Optional(message, "PublicConversationsMessage", ("richText", Json.Text), ("subject", Json.Text), ("inReplyToId", Json.Text), ("status", Json.Map));
                if (message["status"] is { } status)
                {
                    Expect.OneOf(status["statusType"], "message.status.statusType", "FAILED", "READ", "RECEIVED", "SENT");
                }
                break;
            case "COMMENT":
                Expect.Fields(message, "PublicComment", [.. common, ("text", Json.Text), ("richText", Json.Text), ("attachments", Json.Array)]);
                break;
            case "THREAD_STATUS_CHANGE":
                Expect.Fields(message, "PublicThreadStatusChange", [.. common, ("newStatus", Json.Text)]);
                Expect.OneOf(message["newStatus"], "message.newStatus", "CLOSED", "OPEN");
                break;
            case "ASSIGNMENT":
                Expect.Fields(message, "PublicAssignmentMessage", common);
                Expect.Optional(message, "PublicAssignmentMessage", ("assignedTo", Json.Text), ("assignedFrom", Json.Text));
                break;
            default:
                Assert.Fail($"message type {type} is not one the spec's PublicMessage has (or the sandbox produces)");
                break;
        }

        Expect.OneOf(message["client"]!["clientType"], "message.client.clientType", "HUBSPOT", "INTEGRATION", "SYSTEM", "UNKNOWN");
        Expect.Optional(message["client"], "PublicClient", ("integrationAppId", Json.WholeNumber));
        foreach (var sender in message["senders"]!.AsArray())
        {
            Expect.Optional(sender, "PublicSender", ("actorId", Json.Text), ("name", Json.Text), ("senderField", Json.Text), ("deliveryIdentifier", Json.Map));
            if (sender!["deliveryIdentifier"] is { } identifier)
            {
                DeliveryIdentifier(identifier);
            }
        }

        foreach (var recipient in message["recipients"]!.AsArray())
        {
            // PublicRecipient: deliveryIdentifier is required.
            Expect.Fields(recipient, "PublicRecipient", ("deliveryIdentifier", Json.Map));
            Expect.Optional(recipient, "PublicRecipient", ("actorId", Json.Text), ("name", Json.Text), ("recipientField", Json.Text));
            DeliveryIdentifier(recipient!["deliveryIdentifier"]);
        }
    }

    public static void DeliveryIdentifier(JsonNode? identifier)
    {
        Expect.Fields(identifier, "PublicDeliveryIdentifier", ("type", Json.Text), ("value", Json.Text));
        Expect.OneOf(identifier!["type"], "deliveryIdentifier.type", DeliveryIdentifierTypes);
    }

    public static void Actor(JsonNode? actor)
    {
        Expect.Fields(actor, "PublicActor", ("id", Json.Text), ("type", Json.Text));
        Expect.OneOf(actor!["type"], "actor.type", "AGENT", "BOT", "INTEGRATOR", "SYSTEM", "VISITOR", "EMAIL", "LLM");
        switch (actor["type"].Str())
        {
            case "EMAIL":
                Expect.Fields(actor, "EmailActor", ("email", Json.Text));
                break;
            case "INTEGRATOR":
                Expect.Fields(actor, "IntegratorActor", ("name", Json.Text));
                break;
        }

        Expect.Optional(actor, "PublicActor", ("name", Json.Text), ("email", Json.Text), ("avatar", Json.Text));
    }
}
