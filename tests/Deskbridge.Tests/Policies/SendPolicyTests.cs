using Deskbridge.Testing;

namespace Deskbridge.Tests.Policies;

/// <summary>G1 end to end: each rule kind and each condition kind decides a real message from the sandbox, and the fate says which rule and why.</summary>
public sealed class SendPolicyTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public async Task Send_rule_answers_the_customer_and_the_fate_names_the_rule_that_matched()
    {
        await World.SendPolicyAsync(new { action = "draft", intent = "refund" }, new { action = "send", channel = "chat" });

        var written = await World.CustomerWritesAsync("How long does standard shipping take?");
        var fate = await World.FateAsync(written.ThreadId, written.MessageId);

        Assert.Equal("Processed", fate.Fate);
        Assert.StartsWith("Send policy rule 2 (channel chat) matched (channel chat): send. Replied on thread", fate.Reason, StringComparison.Ordinal);
        Assert.Contains("2 to 4 working days", (string?)Assert.Single(await World.AiMessagesAsync(written.ThreadId))["text"], StringComparison.Ordinal);
        Assert.Empty(await World.CommentsAsync(written.ThreadId));
    }

    [Fact]
    public async Task Draft_rule_on_the_email_channel_posts_an_internal_comment_and_keeps_a_pending_draft()
    {
        await World.SendPolicyAsync(new { action = "draft", channel = "email" });

        var written = await World.CustomerWritesAsync("How do I reset my password?", channel: "email", subject: "Password");
        var fate = await World.FateAsync(written.ThreadId, written.MessageId);

        Assert.StartsWith("Send policy rule 1 (channel email) matched (channel email): draft for approval. Drafted an answer as an internal comment", fate.Reason, StringComparison.Ordinal);
        Assert.Empty(await World.AiMessagesAsync(written.ThreadId));
        var comment = Assert.Single(await World.CommentsAsync(written.ThreadId));
        Assert.Contains("/send", (string?)comment["text"], StringComparison.Ordinal);
        var draft = Assert.Single(await World.DraftsAsync(written.ThreadId));
        Assert.Equal("pending", (string?)draft["state"]);
        Assert.Equal((string?)comment["id"], (string?)draft["draftMessageId"]);
    }

    [Fact]
    public async Task Silent_rule_for_a_sender_domain_records_the_answer_and_posts_nothing()
    {
        await World.SendPolicyAsync(new { action = "silent", sender = "partner.example" }, new { action = "send" });

        var written = await World.CustomerWritesAsync("How do I reset my password?", channel: "email", email: "buyer@partner.example", subject: "Hi");
        var fate = await World.FateAsync(written.ThreadId, written.MessageId);
        var other = await World.CustomerWritesAsync("How do I reset my password?", channel: "email", email: "buyer@sub.partner.example", subject: "Hi");
        var otherFate = await World.FateAsync(other.ThreadId, other.MessageId);

        Assert.StartsWith("Send policy rule 1 (sender partner.example) matched (sender matches partner.example): silent. Recorded the answer only", fate.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(await World.MessagesAsync(written.ThreadId), m => (string?)m["direction"] == "OUTGOING" || (string?)m["type"] == "COMMENT");
        Assert.Equal("silent", (string?)Assert.Single(await World.DraftsAsync(written.ThreadId))["state"]);
        // A domain is that domain's addresses, not its subdomains' (those need *.partner.example).
        Assert.StartsWith("Send policy rule 2 (any message) matched (a catch-all): send.", otherFate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handoff_rule_for_a_refund_intent_hands_off_an_answerable_question()
    {
        await World.SendPolicyAsync(new { action = "handoff", intent = "refund" });

        var written = await World.CustomerWritesAsync("How long does shipping take? Otherwise I want a refund.");
        var fate = await World.FateAsync(written.ThreadId, written.MessageId);

        Assert.StartsWith("Send policy rule 1 (intent refund) matched (the customer wrote \"refund\"): hand off. Handed off (SendPolicy)", fate.Reason, StringComparison.Ordinal);
        var note = Assert.Single(await World.CommentsAsync(written.ThreadId));
        Assert.StartsWith("🔄 AI decided to handoff", (string?)note["text"], StringComparison.Ordinal);
        Assert.DoesNotContain(await World.AiMessagesAsync(written.ThreadId), m => ((string?)m["text"])!.Contains("working days", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refund_intent_is_detected_in_german_without_accents_typed()
    {
        await World.SendPolicyAsync(new { action = "silent", intent = "refund" });

        var written = await World.CustomerWritesAsync("Ich hätte gerne eine Ruckerstattung für die Bestellung 1042");
        var fate = await World.FateAsync(written.ThreadId, written.MessageId);

        Assert.StartsWith("Send policy rule 1 (intent refund) matched (the customer wrote \"ruckerstattung\"): silent.", fate.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(await World.MessagesAsync(written.ThreadId), m => (string?)m["direction"] == "OUTGOING" || (string?)m["type"] == "COMMENT");
    }

    [Fact]
    public async Task Confidence_rules_send_a_sure_answer_and_draft_a_weak_one()
    {
        await World.SendPolicyAsync(new { action = "send", confidenceAtLeast = 0.8 }, new { action = "draft", confidenceBelow = 0.8 });

        var sure = await World.CustomerWritesAsync("How long does standard shipping take?");
        var weak = await World.CustomerWritesAsync("Do you ship to Canada and how much are the customs fees for my sofa?");
        var sureFate = await World.FateAsync(sure.ThreadId, sure.MessageId);
        var weakFate = await World.FateAsync(weak.ThreadId, weak.MessageId);

        Assert.StartsWith("Send policy rule 1 (confidence at least 0.8) matched (confidence 1.00): send.", sureFate.Reason, StringComparison.Ordinal);
        Assert.Matches(@"^Send policy rule 2 \(confidence below 0\.8\) matched \(confidence 0\.[4-7]\d\): draft for approval\.", weakFate.Reason);
        Assert.Single(await World.AiMessagesAsync(sure.ThreadId));
        Assert.Empty(await World.AiMessagesAsync(weak.ThreadId));
    }

    [Fact]
    public async Task Handoff_trigger_rule_keeps_a_request_for_a_human_silent()
    {
        await World.SendPolicyAsync(new { action = "silent", intent = "human-request" });

        var written = await World.CustomerWritesAsync("I want to talk to a real person please");
        var fate = await World.FateAsync(written.ThreadId, written.MessageId);

        Assert.StartsWith("Send policy rule 1 (intent human-request) matched (the agent handed off: CustomerAskedForHuman): silent. The agent's handoff was recorded only",
            fate.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(await World.MessagesAsync(written.ThreadId), m => (string?)m["direction"] == "OUTGOING" || (string?)m["type"] == "COMMENT");
    }

    [Fact]
    public async Task Language_rule_hands_off_german_and_lets_english_through()
    {
        await World.SendPolicyAsync(new { action = "handoff", language = "de" });

        var german = await World.CustomerWritesAsync("Hallo, wie lange dauert der Versand nach Deutschland ungefähr?");
        var english = await World.CustomerWritesAsync("How long does standard shipping take?");
        var germanFate = await World.FateAsync(german.ThreadId, german.MessageId);
        var englishFate = await World.FateAsync(english.ThreadId, english.MessageId);

        Assert.StartsWith("Send policy rule 1 (language de) matched (language de): hand off.", germanFate.Reason, StringComparison.Ordinal);
        Assert.StartsWith("Default send policy (none of its 1 rules matched): send.", englishFate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Business_hours_rules_draft_outside_hours_and_send_inside()
    {
        await World.SendPolicyAsync(new { action = "draft", hours = "outside" }, new { action = "send", hours = "inside" });

        await World.BusinessHoursAsync(PolicyWorld.ClosedToday());
        var night = await World.CustomerWritesAsync("How long does standard shipping take?");
        var nightFate = await World.FateAsync(night.ThreadId, night.MessageId);
        await World.BusinessHoursAsync(PolicyWorld.AlwaysOpen());
        var day = await World.CustomerWritesAsync("How long does standard shipping take?");
        var dayFate = await World.FateAsync(day.ThreadId, day.MessageId);

        Assert.StartsWith("Send policy rule 1 (outside business hours) matched (outside business hours): draft for approval.", nightFate.Reason, StringComparison.Ordinal);
        Assert.StartsWith("Send policy rule 2 (inside business hours) matched (inside business hours): send.", dayFate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_rules_is_the_default_policy_of_before()
    {
        await World.SendPolicyAsync();

        var written = await World.CustomerWritesAsync("How long does standard shipping take?");
        var fate = await World.FateAsync(written.ThreadId, written.MessageId);

        Assert.StartsWith("Default send policy (no rules): send. Replied on thread", fate.Reason, StringComparison.Ordinal);
    }
}
