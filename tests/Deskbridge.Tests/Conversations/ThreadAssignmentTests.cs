using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Conversations;

/// <summary>
/// C2/C6 on a real portal's defaults: new threads are unassigned unless the inbox routes them. Unassigned threads are
/// answered, unless the organization keeps the seed's strict rule; a thread owned by someone else never is.
/// </summary>
public sealed class ThreadAssignmentTests
{
    private static async Task<string?> AssigneeAsync(ConnectedWorld world, string threadId) =>
        (string?)(await world.SandboxAdmin.ThreadAsync(threadId))["thread"]!["assignedTo"];

    [Fact]
    public async Task Answers_an_unassigned_thread_when_autopilot_is_on()
    {
        await using var world = await ConnectedWorld.StartAsync();

        var written = await world.CustomerWritesAsync("How long does standard shipping take?");
        var events = await world.SettledEventsAsync(written.ThreadId, atLeast: 3);

        Assert.Null(await AssigneeAsync(world, written.ThreadId));
        Assert.Single(await world.MessagesFromAsync(written.ThreadId, world.AiActor));
        Assert.Contains("Replied", events.Single(e => e.MessageId == written.MessageId).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strict_rule_skips_unassigned_threads_and_answers_threads_the_inbox_routes_to_the_ai_user()
    {
        await using var world = await ConnectedWorld.StartAsync();
        await world.SettingsAsync(new { answerOnlyAssignedThreads = true });

        var unassigned = await world.CustomerWritesAsync("How long does standard shipping take?");
        var skipped = (await world.SettledEventsAsync(unassigned.ThreadId, atLeast: 2)).Single(e => e.MessageId == unassigned.MessageId);
        await world.SandboxAdmin.RouteInboxAsync("1001", world.Sandbox.Options.AiUserId);
        var routed = await world.CustomerWritesAsync("How long does standard shipping take?");
        var answered = (await world.SettledEventsAsync(routed.ThreadId, atLeast: 3)).Single(e => e.MessageId == routed.MessageId);

        Assert.Equal("Skipped", skipped.Fate);
        Assert.Contains("unassigned and this organization answers only threads assigned to the AI user", skipped.Reason, StringComparison.Ordinal);
        Assert.Empty(await world.MessagesFromAsync(unassigned.ThreadId, world.AiActor));
        Assert.Equal(world.AiActor, await AssigneeAsync(world, routed.ThreadId));
        Assert.Equal("Processed", answered.Fate);
    }

    [Fact]
    public async Task Never_answers_an_unassigned_thread_a_human_took_from_the_ai()
    {
        await using var world = await ConnectedWorld.StartAsync();

        var written = await world.CustomerWritesAsync("How long does shipping take?", assigneeUserId: world.HumanUserId);
        var skipped = (await world.SettledEventsAsync(written.ThreadId, atLeast: 2)).Single(e => e.MessageId == written.MessageId);

        Assert.Equal("Skipped", skipped.Fate);
        Assert.Contains($"owned by A-{world.HumanUserId}, not the AI user", skipped.Reason, StringComparison.Ordinal);
        Assert.Empty(await world.MessagesFromAsync(written.ThreadId, world.AiActor));
    }

    [Fact]
    public async Task Resumes_when_a_human_answered_the_handoff_and_gave_the_thread_back_before_the_customer_wrote_again()
    {
        await using var world = await ConnectedWorld.StartAsync();
        var first = await world.CustomerWritesAsync("I want to talk to a real person please");
        await world.SettledEventsAsync(first.ThreadId, atLeast: 3);

        await world.AgentWritesAsync(first.ThreadId, "Hi, Hannah here. Your refund is on its way.");
        await world.AssignAsync(first.ThreadId, world.Sandbox.Options.AiUserId);
        var later = await world.CustomerWritesAsync("Thanks! How long does standard shipping take?", threadId: first.ThreadId);
        // Creation, the handoff, the customer told (G6), the note, the human's reply, the customer again, the answer.
        var events = await world.SettledEventsAsync(first.ThreadId, atLeast: 6);

        Assert.Equal("Processed", events.Single(e => e.MessageId == later.MessageId).Fate);
        Assert.Single(await world.MessagesFromAsync(first.ThreadId, world.AiActor),
            m => (string?)m["type"] == "MESSAGE" && ((string?)m["text"])!.Contains("working days", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stays_silent_on_a_handed_off_thread_that_nobody_took()
    {
        await using var world = await ConnectedWorld.StartAsync();
        var first = await world.CustomerWritesAsync("I want to talk to a real person please");
        await world.SettledEventsAsync(first.ThreadId, atLeast: 3);

        var later = await world.CustomerWritesAsync("Hello? How long does standard shipping take?", threadId: first.ThreadId);
        // Creation, the handoff, the customer told (G6), the note, the customer again.
        var skipped = (await world.SettledEventsAsync(first.ThreadId, atLeast: 5)).Single(e => e.MessageId == later.MessageId);

        Assert.Equal("Skipped", skipped.Fate);
        Assert.Contains("Handed off to a human: the thread is unassigned", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retest_warns_when_recent_messages_were_skipped_for_ownership()
    {
        await using var world = await ConnectedWorld.StartAsync();
        var written = await world.CustomerWritesAsync("How long does shipping take?", assigneeUserId: world.HumanUserId);
        await world.SettledEventsAsync(written.ThreadId, atLeast: 2);

        var retest = (await (await world.Deskbridge.Http.PostAsync($"api/organizations/{world.Organization.Id}/hubspot/retest", null))
            .Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Contains(retest["warnings"]!.AsArray(), w => ((string)w!).StartsWith("1 customer message(s) in the last 24 h were not answered", StringComparison.Ordinal)
            && ((string)w!).Contains("Inbox settings → Routing", StringComparison.Ordinal));
    }
}
