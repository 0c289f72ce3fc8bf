using Deskbridge.Testing;

namespace Deskbridge.Tests.Policies;

/// <summary>G6 end to end: on handoff the customer is told, on their channel and in their language; outside business hours, when the team is back.</summary>
public sealed class CustomerToldTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public async Task Chat_customer_is_told_in_german_during_business_hours_and_the_note_says_so()
    {
        await World.BusinessHoursAsync(PolicyWorld.AlwaysOpen());

        var written = await World.CustomerWritesAsync("Ich möchte bitte sofort mit einem echten Menschen sprechen, nicht mit einem Bot.");
        var fate = await World.FateAsync(written.ThreadId, written.MessageId);

        var told = Assert.Single(await World.AiMessagesAsync(written.ThreadId));
        Assert.Equal("Danke für Ihre Geduld. Eine Kollegin oder ein Kollege antwortet Ihnen in Kürze.", (string?)told["text"]);
        Assert.Equal("1000", (string?)told["channelId"]);
        var note = Assert.Single(await World.CommentsAsync(written.ThreadId));
        Assert.Contains("Customer told (inside business hours, in de, message", (string?)note["text"], StringComparison.Ordinal);
        Assert.Contains("Customer told (inside business hours, in de", fate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_business_hours_the_customer_is_told_when_the_team_is_back()
    {
        await World.BusinessHoursAsync(PolicyWorld.ClosedToday("America/New_York"));

        var written = await World.CustomerWritesAsync("I want to talk to a real person please");
        await World.FateAsync(written.ThreadId, written.MessageId);

        var reopens = DateTimeOffset.UtcNow.ToOffset(TimeZoneInfo.FindSystemTimeZoneById("America/New_York").GetUtcOffset(DateTimeOffset.UtcNow)).AddDays(2).DayOfWeek;
        var told = (string?)Assert.Single(await World.AiMessagesAsync(written.ThreadId))["text"];
        Assert.Equal($"Thanks for your message. Our team is away right now; a colleague will reply when we are back ({reopens} 00:00 (America/New_York)).", told);
        Assert.Contains("Customer told (outside business hours, in en", (string?)Assert.Single(await World.CommentsAsync(written.ThreadId))["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Organizations_own_wording_is_used_for_its_language()
    {
        await World.BusinessHoursAsync(PolicyWorld.AlwaysOpen());
        await World.HandoffMessageAsync(new
        {
            chatEnabled = true,
            texts = new[] { new { language = "en", duringHours = "Hang on, Hannah from our team is on her way.", outsideHours = "We are back {reopens}." } },
        });
        try
        {
            var written = await World.CustomerWritesAsync("I want to talk to a real person please");
            await World.FateAsync(written.ThreadId, written.MessageId);

            Assert.Equal("Hang on, Hannah from our team is on her way.", (string?)Assert.Single(await World.AiMessagesAsync(written.ThreadId))["text"]);
        }
        finally
        {
            await World.HandoffMessageAsync(new { texts = Array.Empty<object>() });
        }
    }

    [Fact]
    public async Task Email_customer_is_not_told_by_default_and_the_note_says_so()
    {
        var written = await World.CustomerWritesAsync("I want to talk to a real person please", channel: "email", subject: "Help");
        var fate = await World.FateAsync(written.ThreadId, written.MessageId);

        Assert.Empty(await World.AiMessagesAsync(written.ThreadId));
        Assert.Contains("Customer not told: the handoff message is off for email.", (string?)Assert.Single(await World.CommentsAsync(written.ThreadId))["text"], StringComparison.Ordinal);
        Assert.Contains("Customer not told", fate.Reason, StringComparison.Ordinal);
    }
}
