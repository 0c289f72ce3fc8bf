using Deskbridge.Conversations;
using Deskbridge.HubSpot;

namespace Deskbridge.Tests.ConversationControl;

/// <summary>G4's signals on their own: people's mail that looks a little like a machine's is still answered.</summary>
public sealed class MachineSenderRulesTests
{
    private static HubSpotMessage Email(string address, string name, string subject, string text) => new(
        "m1", "t1", "MESSAGE", text, null, subject, "INCOMING", HubSpotChannels.EmailId, "ca1", DateTimeOffset.UnixEpoch, null,
        [new HubSpotActorRef(null, name, new HubSpotDeliveryIdentifier("HS_EMAIL_ADDRESS", address))], []);

    [Theory]
    [InlineData("bouncer@club.example", "Bo Uncer", "Table for four", "Can I book a table?")]
    [InlineData("noreplyguy@example.com", "Norman", "Question", "Do you ship to Norway?")]
    [InlineData("jane@example.com", "Jane", "Absent item in my order", "One item was missing from the parcel.")]
    [InlineData("jane@example.com", "Jane", "Re: Out of stock?", "Is the jacket out of stock?")]
    [InlineData("jane@example.com", "Jane", "Delivery status", "What is the delivery status of my order?")]
    [InlineData("max@kunde.example", "Max", "Bestellung", "Ich war letzte Woche nicht im Büro. Wo ist meine Bestellung?")]
    [InlineData("ann@client.example", "Ann", "Order", "Auto-Submitted: no\nWhere is my order?")]
    public void A_persons_email_is_not_taken_for_a_machine(string address, string name, string subject, string text)
    {
        Assert.Null(MachineSenders.EmailReason(Email(address, name, subject, text)));
    }

    [Fact]
    public void Only_email_is_read_for_auto_reply_signals()
    {
        var chat = Email("no-reply@example.com", "Mail Delivery System", "Automatic reply", "I am out of the office") with { ChannelId = HubSpotChannels.LiveChatId };

        Assert.Null(MachineSenders.EmailReason(chat));
    }

    [Theory]
    [InlineData("A-123", null)]
    [InlineData("V-55", null)]
    [InlineData("E-jane@example.com", null)]
    [InlineData("L-9", "AI actor")]
    [InlineData("B-9", "bot")]
    [InlineData("I-2345678", "integration")]
    [InlineData("S-hubspot", "HubSpot itself")]
    public void Actor_types_that_are_not_people_are_machines(string actorId, string? because)
    {
        var reason = MachineSenders.ActorReason(actorId);

        if (because is null)
        {
            Assert.Null(reason);
        }
        else
        {
            Assert.Contains(because, reason, StringComparison.Ordinal);
        }
    }
}
