using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Policies;

/// <summary>G2 end to end: a draft is approved or dropped by a human's comment in the HubSpot thread, or from the dashboard's API.</summary>
public sealed class DraftApprovalTests(WorldFixture fixture) : IClassFixture<WorldFixture>, IAsyncLifetime
{
    private ConnectedWorld World => fixture.World;

    public Task InitializeAsync() => World.SendPolicyAsync(new { action = "draft", channel = "chat" });

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(ConnectedWorld.Written Written, JsonObject Draft)> DraftedAsync(string question = "How long does standard shipping take?")
    {
        var written = await World.CustomerWritesAsync(question);
        await World.FateAsync(written.ThreadId, written.MessageId);
        return (written, Assert.Single(await World.DraftsAsync(written.ThreadId)));
    }

    [Fact]
    public async Task Send_comment_posts_the_draft_to_the_customer_as_the_ai_user_and_records_the_approver()
    {
        var (written, _) = await DraftedAsync();

        var command = await World.HumanCommentsAsync(written.ThreadId, "/send");
        var fate = await World.FateAsync(written.ThreadId, command);

        var reply = Assert.Single(await World.AiMessagesAsync(written.ThreadId));
        Assert.Contains("2 to 4 working days", (string?)reply["text"], StringComparison.Ordinal);
        Assert.DoesNotContain("/send", (string?)reply["text"], StringComparison.Ordinal);
        Assert.Contains("<!-- OpenCX-AI-Response -->", (string?)reply["richText"], StringComparison.Ordinal);
        Assert.Equal("1000", (string?)reply["channelId"]);
        Assert.StartsWith($"/send by A-{World.HumanUserId}: sent draft", fate.Reason, StringComparison.Ordinal);
        var draft = Assert.Single(await World.DraftsAsync(written.ThreadId));
        Assert.Equal("approved", (string?)draft["state"]);
        Assert.Equal($"A-{World.HumanUserId}", (string?)draft["decidedBy"]);
        Assert.Equal("hubspot", (string?)draft["decidedVia"]);
        Assert.False((bool)draft["edited"]!);
        Assert.Equal((string?)reply["id"], (string?)draft["sentMessageId"]);
    }

    [Fact]
    public async Task Send_comment_with_a_text_posts_the_edited_answer_instead()
    {
        var (written, _) = await DraftedAsync();

        var command = await World.HumanCommentsAsync(written.ThreadId, "/send Standard shipping takes 2 to 4 working days.\nExpress arrives tomorrow.");
        await World.FateAsync(written.ThreadId, command);

        var reply = Assert.Single(await World.AiMessagesAsync(written.ThreadId));
        Assert.Equal("Standard shipping takes 2 to 4 working days.\nExpress arrives tomorrow.", (string?)reply["text"]);
        var draft = Assert.Single(await World.DraftsAsync(written.ThreadId));
        Assert.Equal("edited", (string?)draft["state"]);
        Assert.True((bool)draft["edited"]!);
        Assert.Equal((string?)reply["text"], (string?)draft["sentText"]);
    }

    [Fact]
    public async Task Discard_comment_drops_the_draft_and_nothing_reaches_the_customer()
    {
        var (written, _) = await DraftedAsync();

        var discard = await World.HumanCommentsAsync(written.ThreadId, "/discard");
        var discardFate = await World.FateAsync(written.ThreadId, discard);
        var send = await World.HumanCommentsAsync(written.ThreadId, "/send");
        var sendFate = await World.FateAsync(written.ThreadId, send);

        Assert.StartsWith($"/discard by A-{World.HumanUserId}: discarded draft", discardFate.Reason, StringComparison.Ordinal);
        Assert.Contains("was discarded by", sendFate.Reason, StringComparison.Ordinal);
        Assert.Empty(await World.AiMessagesAsync(written.ThreadId));
        Assert.Equal("discarded", (string?)Assert.Single(await World.DraftsAsync(written.ThreadId))["state"]);
    }

    [Fact]
    public async Task Draft_is_not_sent_once_a_human_answered_and_a_comment_says_why()
    {
        var (written, _) = await DraftedAsync();
        var human = await World.HumanRepliesAsync(written.ThreadId, "Hi! Shipping takes 2 to 4 working days.");
        await World.FateAsync(written.ThreadId, human);

        var command = await World.HumanCommentsAsync(written.ThreadId, "/send");
        var fate = await World.FateAsync(written.ThreadId, command);

        Assert.Contains($"refused: a human agent (A-{World.HumanUserId}) already answered the customer", fate.Reason, StringComparison.Ordinal);
        Assert.Empty(await World.AiMessagesAsync(written.ThreadId));
        Assert.Contains(await World.CommentsAsync(written.ThreadId), c => ((string?)c["text"])!.StartsWith("Not sent: a human agent", StringComparison.Ordinal));
        Assert.Equal("stale", (string?)Assert.Single(await World.DraftsAsync(written.ThreadId))["state"]);
    }

    [Fact]
    public async Task Draft_is_not_sent_once_the_customer_wrote_again()
    {
        var (written, _) = await DraftedAsync();
        // A request for a human hands off (no new draft): the thread's latest draft answers an older question.
        var again = await World.CustomerWritesAsync("Actually, I want to talk to a real person please", threadId: written.ThreadId);
        await World.FateAsync(written.ThreadId, again.MessageId);

        var command = await World.HumanCommentsAsync(written.ThreadId, "/send");
        var fate = await World.FateAsync(written.ThreadId, command);

        Assert.Contains($"refused: the customer wrote again after this draft (message {again.MessageId})", fate.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(await World.AiMessagesAsync(written.ThreadId), m => ((string?)m["text"])!.Contains("working days", StringComparison.Ordinal));
        Assert.Equal("stale", (string?)Assert.Single(await World.DraftsAsync(written.ThreadId))["state"]);
    }

    [Fact]
    public async Task Draft_approved_twice_in_hubspot_and_once_from_the_dashboard_reaches_the_customer_once()
    {
        var (written, draft) = await DraftedAsync();

        // Two agents type /send at once while a third approves on the dashboard.
        var first = World.HumanCommentsAsync(written.ThreadId, "/send");
        var dashboard = World.Deskbridge.Http.PostAsJsonAsync($"api/organizations/{World.Organization.Id}/drafts/{draft["id"]}/send", new { });
        var second = World.HumanCommentsAsync(written.ThreadId, "/send");
        var commands = await Task.WhenAll(first, second);
        var dashboardAnswer = await dashboard;
        var fates = await Task.WhenAll(commands.Select(c => World.FateAsync(written.ThreadId, c)));

        Assert.Single(await World.AiMessagesAsync(written.ThreadId));
        var sent = fates.Count(f => f.Reason!.Contains(": sent draft", StringComparison.Ordinal)) + (dashboardAnswer.IsSuccessStatusCode ? 1 : 0);
        Assert.Equal(1, sent);
        Assert.Equal(2, fates.Count(f => f.Reason!.Contains("already approved", StringComparison.Ordinal)) + (dashboardAnswer.StatusCode == HttpStatusCode.Conflict ? 1 : 0));
        // The losing comments are told why in the thread.
        Assert.True((await World.CommentsAsync(written.ThreadId)).Count(c => ((string?)c["text"])!.Contains("already approved", StringComparison.Ordinal))
            == fates.Count(f => f.Reason!.Contains("already approved", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Dashboard_api_sends_an_edited_draft_and_refuses_a_second_approval_with_problem_details()
    {
        var (written, draft) = await DraftedAsync();

        var sent = await World.Deskbridge.Http.PostAsJsonAsync($"api/organizations/{World.Organization.Id}/drafts/{draft["id"]}/send", new { text = "Two to four working days." });
        var again = await World.Deskbridge.Http.PostAsJsonAsync($"api/organizations/{World.Organization.Id}/drafts/{draft["id"]}/discard", new { });

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var body = (await sent.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True((bool)body["sent"]!);
        Assert.Equal("edited", (string?)body["draft"]!["state"]);
        Assert.Equal("operator", (string?)body["draft"]!["decidedBy"]);
        Assert.Equal("dashboard", (string?)body["draft"]!["decidedVia"]);
        Assert.Equal("Two to four working days.", (string?)Assert.Single(await World.AiMessagesAsync(written.ThreadId))["text"]);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Contains("already approved", (string?)(await again.Content.ReadFromJsonAsync<JsonObject>())!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ordinary_comment_is_still_a_note_and_sends_nothing()
    {
        var (written, _) = await DraftedAsync();

        var note = await World.HumanCommentsAsync(written.ThreadId, "Looks fine, but /send it later");
        var fate = await World.FateAsync(written.ThreadId, note);

        Assert.Contains("Internal comment", fate.Reason, StringComparison.Ordinal);
        Assert.Equal("pending", (string?)Assert.Single(await World.DraftsAsync(written.ThreadId))["state"]);
    }
}
