using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.HubSpotSandbox.Simulation;
using Deskbridge.Testing;
using Deskbridge.Tests.ConversationControl;
using Deskbridge.Tests.Policies;

namespace Deskbridge.Tests.Insight;

/// <summary>
/// I1/I2 end to end through the sandbox: each kind of conversation leaves the facts on its session that the list and the
/// analytics read (status, counts, times, trigger, language, channel), and every skipped event names its skip code.
/// </summary>
public sealed class ConversationFactsTests(ConversationFactsTests.Fixture fixture) : IClassFixture<ConversationFactsTests.Fixture>, IAsyncLifetime
{
    public sealed class Fixture : WorldFixture
    {
        public bool Prepared { get; set; }
    }

    /// <summary>Only this sender's domain is drafted, so the other tests' conversations are answered as usual.</summary>
    private const string DraftedDomain = "drafted.example";

    private ConnectedWorld World => fixture.World;

    public async Task InitializeAsync()
    {
        if (fixture.Prepared)
        {
            return;
        }
        await World.SendPolicyAsync(new { action = "draft", sender = DraftedDomain });
        await World.SandboxAdmin.SubscribeAsync("conversation.propertyChange", "assignedTo");
        fixture.Prepared = true;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Email(string domain = "example.com") => $"customer-{Guid.NewGuid():N}@{domain}";

    [Fact]
    public async Task Answered_conversation_counts_the_message_and_the_reply_with_channel_language_and_times()
    {
        var email = Email();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var written = await World.CustomerWritesAsync("Hello there, how long does standard shipping take to reach my home address?", email: email);
        await Eventually.UntilAsync(() => ControlApi.AiRepliesAsync(World, written.ThreadId), r => r.Count == 1, what: "the AI's reply");

        var facts = await FactsAsync(written.ThreadId, c => c.AiReplies == 1);

        Assert.Equal("AnsweredByAi", facts.Status);
        Assert.Equal("chat", facts.Channel);
        Assert.Equal("en", facts.Language);
        Assert.Equal(written.ThreadId, facts.ThreadId);
        Assert.Equal(1, facts.CustomerMessages);
        Assert.Equal(1, facts.AiReplies);
        Assert.NotNull(facts.StartedAt);
        Assert.InRange(facts.StartedAt!.Value, before, DateTimeOffset.UtcNow);
        Assert.True(facts.FirstAiReplyAt >= facts.StartedAt, $"first AI reply {facts.FirstAiReplyAt:O} before the question {facts.StartedAt:O}");
        Assert.True(facts.LastActivityAt >= facts.FirstAiReplyAt);
        Assert.Null(facts.HandedOffAt);
        Assert.Null(facts.HandoffTrigger);
        Assert.Null(facts.HumanTakeoverAt);
    }

    [Fact]
    public async Task Handed_off_conversation_records_when_and_what_triggered_it()
    {
        var email = Email();
        var written = await World.CustomerWritesAsync("Can I talk to a human agent please? I would like to speak with a real person about my order.", email: email);
        Assert.Equal("Processed", (await World.FateAsync(written.ThreadId, written.MessageId)).Fate);

        var facts = await FactsAsync(written.ThreadId, c => c.HandedOffAt is not null);

        Assert.Equal("HandedOff", facts.Status);
        Assert.Equal("CustomerAskedForHuman", facts.HandoffTrigger);
        Assert.Contains("asked to talk to a person", facts.HandoffReason, StringComparison.Ordinal);
        Assert.Equal(1, facts.CustomerMessages);
        // G6's notice that a human will reply is not an answer.
        Assert.Equal(0, facts.AiReplies);
        Assert.Null(facts.FirstAiReplyAt);
        Assert.Equal("en", facts.Language);
        Assert.True(facts.HandedOffAt >= facts.StartedAt);

        // A chat visitor has no email in HubSpot's message, only the contact the thread is associated with.
        Assert.Equal(written.ContactId, facts.ContactId);
        var byTrigger = await ListAsync($"customer={written.ContactId}&q={written.ThreadId}&trigger=customer-asked-for-human&status=HandedOff&channel=chat");
        Assert.Equal(written.ThreadId, Assert.Single(byTrigger.Conversations).ThreadId);
        Assert.Empty((await ListAsync($"q={written.ThreadId}&trigger=AngryCustomer")).Conversations);
        Assert.Empty((await ListAsync($"q={written.ThreadId}&channel=email")).Conversations);
    }

    [Fact]
    public async Task Human_taking_the_thread_moves_the_conversation_to_them_and_the_next_message_is_skipped_as_human_owned()
    {
        var email = Email();
        var written = await World.CustomerWritesAsync("Hello there, how long does standard shipping take to reach my home address?", email: email);
        await Eventually.UntilAsync(() => ControlApi.AiRepliesAsync(World, written.ThreadId), r => r.Count == 1, what: "the AI's reply");

        await World.AssignAsync(written.ThreadId, World.HumanUserId);
        await ControlApi.PropertyChangesAsync(World, written.ThreadId, 1);
        var taken = await FactsAsync(written.ThreadId, c => c.HumanTakeoverAt is not null);
        Assert.Equal("WithHuman", taken.Status);

        var again = await World.CustomerWritesAsync("And does it cost anything extra to ship to my address?", threadId: written.ThreadId, email: email);
        var fate = await World.FateAsync(written.ThreadId, again.MessageId);
        Assert.Equal("Skipped", fate.Fate);
        Assert.Equal("human-owned", fate.SkipCode);

        var facts = await FactsAsync(written.ThreadId, c => c.CustomerMessages == 2);
        Assert.Equal("WithHuman", facts.Status);
        Assert.Equal(1, facts.AiReplies);
        Assert.Equal(taken.HumanTakeoverAt, facts.HumanTakeoverAt);
        Assert.Null(facts.HandedOffAt);

        // A human's own reply is in the transcript and skipped with its code; it takes nothing further.
        var reply = await World.HumanRepliesAsync(written.ThreadId, "Shipping to you is free, no extra cost.");
        Assert.Equal("human-agent-message", (await World.FateAsync(written.ThreadId, reply)).SkipCode);
    }

    [Fact]
    public async Task Drafted_conversation_waits_for_approval_and_the_sent_draft_counts_as_the_ai_reply()
    {
        // Email: a chat visitor's message carries no address for the rule's sender condition to match.
        var email = Email(DraftedDomain);
        var written = await World.CustomerWritesAsync("Hello there, how long does standard shipping take to reach my home address?", channel: "email",
            email: email, subject: "Shipping time");
        await World.FateAsync(written.ThreadId, written.MessageId);

        var drafted = await FactsAsync(written.ThreadId, c => c.Status == "Drafted");
        Assert.Equal(0, drafted.AiReplies);
        Assert.Equal("email", drafted.Channel);
        Assert.Equal(email, drafted.CustomerEmail);
        Assert.Equal(1, drafted.CustomerMessages);
        Assert.Null(drafted.FirstAiReplyAt);

        var send = await World.HumanCommentsAsync(written.ThreadId, "/send");
        await World.FateAsync(written.ThreadId, send);

        var sent = await FactsAsync(written.ThreadId, c => c.AiReplies == 1);
        Assert.Equal("AnsweredByAi", sent.Status);
        Assert.NotNull(sent.FirstAiReplyAt);
        // The approval's comment is an internal note, not a customer message.
        Assert.Equal(1, sent.CustomerMessages);
    }

    [Fact]
    public async Task Machine_sender_is_skipped_with_its_code_and_counts_as_no_customer_message()
    {
        var address = $"no-reply-{Guid.NewGuid():N}@shop-notifications.example";
        var written = await World.SandboxAdmin.CustomerWritesAsync(new CustomerMessageRequest("email", null, address, "Shop", "Your parcel is on its way.",
            null, "Your order has shipped", null, null));

        var fate = await World.FateAsync(written.ThreadId, written.MessageId);

        Assert.Equal("Skipped", fate.Fate);
        Assert.Equal("machine-sender", fate.SkipCode);
        var sessions = (await ListAsync($"q={written.ThreadId}")).Conversations;
        Assert.All(sessions, s => Assert.Equal((0, 0), (s.CustomerMessages, s.AiReplies)));
        Assert.All(sessions, s => Assert.Null(s.StartedAt));
    }

    [Fact]
    public async Task Reprocessed_event_counts_its_message_and_reply_once()
    {
        var email = Email();
        // A 400 on the reply fails the event at once, after its customer message was taken in; the retry runs it again.
        await World.AddFaultAsync(new FaultRequest("/conversations/v3/conversations/threads/*/messages", FaultKind.Error, Method: "POST", StatusCode: 400, Count: 1));
        var written = await World.CustomerWritesAsync("Hello there, how long does standard shipping take to reach my home address?", email: email);
        var failed = await World.FateAsync(written.ThreadId, written.MessageId);
        Assert.Equal("Failed", failed.Fate);
        var first = await FactsAsync(written.ThreadId, c => c.CustomerMessages == 1);
        Assert.Equal("Waiting", first.Status);

        (await World.Deskbridge.Http.PostAsync($"api/organizations/{World.Organization.Id}/events/{failed.Id}/retry", null)).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(() => ControlApi.AiRepliesAsync(World, written.ThreadId), r => r.Count == 1, what: "the AI's reply after the retry");
        var processed = await Eventually.UntilAsync(() => World.FateAsync(written.ThreadId, written.MessageId), e => e.Fate == "Processed", what: "the retried event's fate");

        var facts = await FactsAsync(written.ThreadId, c => c.AiReplies >= 1);
        Assert.True(processed.ProcessingAttempts >= 1);
        Assert.Equal(1, facts.CustomerMessages);
        Assert.Equal(1, facts.AiReplies);
        Assert.Equal("AnsweredByAi", facts.Status);
        Assert.Equal(first.StartedAt, facts.StartedAt);
    }

    [Fact]
    public async Task Bad_filters_are_answered_with_problem_details_naming_each_parameter()
    {
        var response = await World.Deskbridge.Http.GetAsync(
            $"api/organizations/{World.Organization.Id}/conversations?status=solved&language=english&from=yesterday&limit=1000&cursor=not-ours&trigger=1");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblem>();
        Assert.Equal(["cursor", "from", "language", "limit", "status", "trigger"], problem!.Errors.Keys.Order().ToArray());
        Assert.Contains("AnsweredByAi", problem.Errors["status"][0], StringComparison.Ordinal);
    }

    private sealed record ValidationProblem(string Title, Dictionary<string, string[]> Errors);

    public sealed record ConversationView(
        Guid Id, string ThreadId, string Status, string? Channel, string? Language, string? CustomerEmail, string? ContactId, string? Subject,
        int CustomerMessages, int AiReplies, DateTimeOffset? StartedAt, DateTimeOffset? FirstAiReplyAt, DateTimeOffset? HandedOffAt,
        string? HandoffTrigger, string? HandoffReason, DateTimeOffset? HumanTakeoverAt, DateTimeOffset LastActivityAt);

    public sealed record ConversationListView(List<ConversationView> Conversations, string? Next, string? Previous);

    private Task<ConversationListView> ListAsync(string query) =>
        World.Deskbridge.GetJsonAsync<ConversationListView>($"api/organizations/{World.Organization.Id}/conversations?{query}");

    /// <summary>The thread's conversation (q matches a thread id exactly), once <paramref name="settled"/> holds (facts are written with the event's fate).</summary>
    private async Task<ConversationView> FactsAsync(string threadId, Func<ConversationView, bool> settled) =>
        (await Eventually.UntilAsync(() => ListAsync($"q={threadId}"),
            list => list.Conversations.Count == 1 && settled(list.Conversations[0]), TimeSpan.FromSeconds(30), $"the conversation of thread {threadId}"))
        .Conversations[0];
}
