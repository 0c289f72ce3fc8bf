using Deskbridge.HubSpotSandbox.Simulation;
using Deskbridge.Testing;

namespace Deskbridge.Tests.ConversationControl;

/// <summary>G4 end to end: what a machine wrote is never answered, each with its reason; two bots cannot talk for ever.</summary>
public sealed class MachineSenderTests(MachineSenderTests.Fixture fixture) : IClassFixture<MachineSenderTests.Fixture>
{
    public sealed class Fixture : WorldFixture
    {
        protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
        {
            ["Processing:AiReplyCap"] = "3",
            ["Processing:AiReplyCapWindow"] = "00:10:00",
        };
    }

    private ConnectedWorld World => fixture.World;

    public static TheoryData<string, string, string, string, string, string> AutomaticEmails => new()
    {
        // kind, sender address, sender name, subject, text → the reason's words
        { "no-reply sender", "no-reply@shop-notifications.example", "Shop", "Your order has shipped", "Your parcel is on its way.", "is a no-reply address" },
        { "donotreply sender", "DoNotReply+orders@bank.example", "Bank", "Statement ready", "Your statement is ready.", "is a no-reply address" },
        { "bounce (mailer-daemon)", "MAILER-DAEMON@mx.example.net", "Mail Delivery Subsystem", "Undelivered Mail Returned to Sender", "This is the mail system at host mx.example.net.", "mail system's address" },
        { "postmaster", "postmaster@corp.example", "Postmaster", "Delivery Status Notification (Failure)", "Delivery to the following recipient failed permanently.", "mail system's address" },
        { "bounces+tag sender", "bounces+4711@mailer.example", "Mailer", "Message blocked", "Your message was blocked.", "mail system's address" },
        { "mail system by name", "mx-reports@corp.example", "Mail Delivery System", "Delivery report", "Your message could not be sent.", "is a mail system" },
        { "out-of-office subject (en)", "jane.doe@client.example", "Jane Doe", "Automatic reply: Your question", "Thanks for your message.", "marks an automatic reply" },
        { "out-of-office subject (de)", "max@kunde.example", "Max Muster", "Abwesenheitsnotiz: Ihre Anfrage", "Danke für Ihre Nachricht.", "marks an automatic reply" },
        { "out-of-office subject (fr)", "marie@client.example", "Marie", "Réponse automatique : votre demande", "Merci pour votre message.", "marks an automatic reply" },
        { "out-of-office text (en)", "sam@client.example", "Sam", "Re: your order", "Hello, I am currently out of the office until Monday with limited access to email.", "the text says \"I am currently out of the office\"" },
        { "out-of-office text (de)", "lena@kunde.example", "Lena", "Re: Bestellung", "Guten Tag, ich bin bis 12. Januar nicht im Büro.", "automatic reply (the text says" },
        { "out-of-office text (es)", "ana@cliente.example", "Ana", "Re: pedido", "Hola, estoy fuera de la oficina hasta el lunes.", "automatic reply (the text says" },
        { "Auto-Submitted header line", "help@partner.example", "Partner Help", "Re: ticket", "Auto-Submitted: auto-replied\nThis mailbox is not monitored.", "header line \"Auto-Submitted: auto-replied\"" },
    };

    [Theory]
    [MemberData(nameof(AutomaticEmails))]
    public async Task Skips_automatic_email_with_its_reason(string kind, string address, string name, string subject, string text, string because)
    {
        var written = await World.SandboxAdmin.CustomerWritesAsync(new CustomerMessageRequest("email", null, address, name, text, null, subject, null, null));

        var fate = await ControlApi.SettledAsync(World, written.ThreadId, written.MessageId);

        Assert.True(fate.Fate == "Skipped", $"{kind}: {fate.Fate} {fate.Reason}");
        Assert.Contains("Machine sender (G4)", fate.Reason, StringComparison.Ordinal);
        Assert.Contains(because, fate.Reason, StringComparison.Ordinal);
        Assert.Empty(await World.MessagesFromAsync(written.ThreadId, World.AiActor));
    }

    [Fact]
    public async Task Answers_a_person_who_mentions_being_out_of_office_in_passing()
    {
        var written = await World.CustomerWritesAsync("I was out of office last week, so I missed the delivery. How long does standard shipping take?",
            channel: "email", subject: "Missed delivery");

        var fate = await ControlApi.SettledAsync(World, written.ThreadId, written.MessageId);

        // Answered or handed off, as the agent decides: a person's message, not a machine's.
        Assert.Equal("Processed", fate.Fate);
        Assert.DoesNotContain("Machine sender", fate.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BOT", "B-7", "sent by a bot (B-7, HubSpot's BOT actor type)")]
    [InlineData("LLM", "L-7", "sent by an AI actor (L-7, HubSpot's LLM actor type")]
    public async Task Skips_messages_of_hubspot_bots_and_ai_agents(string actorType, string actorId, string because)
    {
        var written = await World.CustomerWritesAsync("How long does standard shipping take?");
        await Eventually.UntilAsync(() => ControlApi.AiRepliesAsync(World, written.ThreadId), r => r.Count == 1, what: "the AI's reply");

        var bot = await World.SandboxAdmin.BotWritesAsync(new BotMessageRequest(written.ThreadId, actorType, 7, "Helper bot", "Is there anything else I can help with?"));
        var fate = await ControlApi.SettledAsync(World, written.ThreadId, bot.MessageId);
        var message = (await World.MessagesAsync(written.ThreadId)).Single(m => (string?)m["id"] == bot.MessageId);

        Assert.Equal(actorId, (string?)message["senders"]![0]!["actorId"]);
        Assert.Equal("Skipped", fate.Fate);
        Assert.Contains(because, fate.Reason, StringComparison.Ordinal);
        Assert.Single(await ControlApi.AiRepliesAsync(World, written.ThreadId));
    }

    [Fact]
    public async Task A_bot_that_answers_every_reply_cannot_keep_the_ai_talking()
    {
        // The other side is a machine no rule recognises: it writes like a person, every time the AI answers.
        var written = await World.CustomerWritesAsync("How long does standard shipping take?");
        var threadId = written.ThreadId;
        var last = written.MessageId;
        for (var round = 1; round <= 6; round++)
        {
            var fate = await ControlApi.SettledAsync(World, threadId, last);
            if (fate.Fate != "Processed")
            {
                break;
            }
            last = (await World.CustomerWritesAsync($"Thank you! And how long does standard shipping take for order {round}?", threadId: threadId)).MessageId;
        }
        var capped = await ControlApi.SettledAsync(World, threadId, last);

        Assert.Equal(3, (await ControlApi.AiRepliesAsync(World, threadId)).Count);
        Assert.Equal("Skipped", capped.Fate);
        Assert.Contains("Loop guard (G4): the AI already replied 3 times on this thread within 00:10:00", capped.Reason, StringComparison.Ordinal);
    }
}
