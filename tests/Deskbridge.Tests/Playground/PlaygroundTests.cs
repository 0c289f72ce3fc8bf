using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Tests.Playground;

/// <summary>The playground against a connected sandbox portal: what the agent would do, with nothing sent to HubSpot.</summary>
public sealed class PlaygroundTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ConnectedWorld World => fixture.World;

    private string Path => $"api/organizations/{World.Organization.Id}/playground";

    private static string Query(string text, string channel = "chat", params string[] earlier) =>
        $"?channel={channel}&text={Uri.EscapeDataString(text)}" + string.Concat(earlier.Select(e => "&earlier=" + Uri.EscapeDataString(e)));

    [Fact]
    public async Task Shows_the_reply_exactly_as_it_would_be_posted_without_calling_HubSpot()
    {
        var before = await World.RequestSequenceAsync();

        var outcome = await World.Deskbridge.GetJsonAsync<JsonObject>($"{Path}/evaluate{Query("How long does shipping take?")}");

        Assert.Equal("answer", (string?)outcome["decision"]);
        var body = outcome["post"]!["body"]!;
        Assert.Equal("MESSAGE", (string?)body["type"]);
        Assert.Equal(World.AiActor, (string?)body["senderActorId"]);
        Assert.Equal("1000", (string?)body["channelId"]);
        Assert.Equal((string?)outcome["answerText"], (string?)body["text"]);
        Assert.Contains("<!-- OpenCX-AI-Response -->", (string?)body["richText"], StringComparison.Ordinal);
        Assert.Equal("shipping-times-and-costs", (string?)outcome["sources"]![0]!["articleId"]);
        Assert.Equal("Hybrid", (string?)outcome["retrieval"]);
        var quoted = outcome["passages"]!.AsArray().First(p => (bool)p!["quoted"]!)!;
        Assert.NotNull((double?)quoted["similarity"]);
        Assert.NotNull((double?)quoted["bm25"]);
        Assert.Empty(await World.RequestsSinceAsync(before));
    }

    [Fact]
    public async Task Shows_which_send_policy_rule_would_decide_and_what_it_would_do()
    {
        await using var world = await ConnectedWorld.StartAsync();
        var api = $"api/organizations/{world.Organization.Id}";
        (await world.Deskbridge.Http.PutAsJsonAsync($"{api}/send-policy", new object[]
        {
            new { action = "handoff", intent = "legal" },
            new { action = "draft", channel = "email" },
        })).EnsureSuccessStatusCode();

        var email = await world.Deskbridge.GetJsonAsync<JsonObject>($"{api}/playground/evaluate{Query("How long does shipping take?", "email")}");
        var legal = await world.Deskbridge.GetJsonAsync<JsonObject>($"{api}/playground/evaluate{Query("My lawyer asks how long shipping takes.")}");
        var chat = await world.Deskbridge.GetJsonAsync<JsonObject>($"{api}/playground/evaluate{Query("How long does shipping take?")}");

        Assert.Equal("draft for approval", (string?)email["policy"]!["verdict"]);
        Assert.StartsWith("rule ", (string?)email["policy"]!["rule"], StringComparison.Ordinal);
        Assert.Contains("channel email", (string?)email["policy"]!["reason"], StringComparison.Ordinal);
        Assert.Equal("hand off", (string?)legal["policy"]!["verdict"]);
        Assert.Contains("lawyer", (string?)legal["policy"]!["reason"], StringComparison.Ordinal);
        Assert.Equal("default policy", (string?)chat["policy"]!["rule"]);
        Assert.Equal("send", (string?)chat["policy"]!["verdict"]);
    }

    [Fact]
    public async Task Answers_a_paraphrase_and_explains_why_an_unanswerable_question_is_handed_off()
    {
        var paraphrase = await World.Deskbridge.GetJsonAsync<JsonObject>($"{Path}/evaluate{Query("How soon is the money back on my card after you receive the return?")}");
        var unanswerable = await World.Deskbridge.GetJsonAsync<JsonObject>($"{Path}/evaluate{Query("Are your cotton shirts organic and fair trade certified?", "email")}");

        Assert.Equal("answer", (string?)paraphrase["decision"]);
        Assert.Equal("returns-and-refunds", (string?)paraphrase["sources"]![0]!["articleId"]);
        Assert.Equal("handoff", (string?)unanswerable["decision"]);
        Assert.Equal("LowConfidence", (string?)unanswerable["handoffTrigger"]);
        Assert.Contains("the closest was", (string?)unanswerable["handoffReason"], StringComparison.Ordinal);
        Assert.Contains("similarity", (string?)unanswerable["handoffReason"], StringComparison.Ordinal);
        Assert.Null(unanswerable["post"]);
    }

    [Fact]
    public async Task Reads_an_earlier_message_when_the_last_one_is_short()
    {
        var outcome = await World.Deskbridge.GetJsonAsync<JsonObject>($"{Path}/evaluate{Query("and to Canada?", "chat", "customer: How much does shipping cost?", "ai: Shipping within the EU is free over 50 euros.")}");

        Assert.Equal("answer", (string?)outcome["decision"]);
        Assert.Equal("international-shipping", (string?)outcome["sources"]![0]!["articleId"]);
    }

    [Fact]
    public async Task Refuses_an_unknown_channel_and_an_empty_message_naming_the_fields()
    {
        var response = await World.Deskbridge.Http.GetAsync($"{Path}/evaluate?channel=sms&text=");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!;
        Assert.NotNull(errors["channel"]);
        Assert.NotNull(errors["text"]);
    }

    [Fact]
    public async Task Saved_cases_run_as_a_regression_suite_with_a_pass_rate()
    {
        var organization = await World.Deskbridge.CreateOrganizationAsync("Suite Shop", slug: "demo-suite");
        var path = $"api/organizations/{organization.Id}/playground";
        // The new organization's knowledge key has no folder: every question is handed off, so an expected answer fails.
        var firstSave = await World.Deskbridge.Http.PostAsJsonAsync($"{path}/cases", new { channel = "chat", text = "Do you sell in stores?", expected = "Handoff" });
        Assert.True(firstSave.IsSuccessStatusCode, await firstSave.Content.ReadAsStringAsync());
        (await World.Deskbridge.Http.PostAsJsonAsync($"{path}/cases", new { channel = "email", text = "What is your warranty?", expected = "Handoff" })).EnsureSuccessStatusCode();
        var wrong = await World.Deskbridge.Http.PostAsJsonAsync($"{path}/cases", new { channel = "chat", text = "How long does shipping take?", expected = "Answer", expectedArticleId = "shipping-times-and-costs" });
        Assert.Equal(HttpStatusCode.Created, wrong.StatusCode);
        var refused = await World.Deskbridge.Http.PostAsJsonAsync($"{path}/cases", new { channel = "chat", text = "x", expected = "Handoff", expectedArticleId = "warranty" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var suite = await World.Deskbridge.GetJsonAsync<JsonObject>($"{path}/suite");

        Assert.Equal(3, (int)suite["total"]!);
        Assert.Equal(2, (int)suite["passed"]!);
        Assert.Equal(0.6667, (double)suite["passRate"]!);
        var failed = suite["results"]!.AsArray().Single(r => !(bool)r!["passed"]!)!;
        Assert.Equal("How long does shipping take?", (string?)failed["case"]!["text"]);
        Assert.StartsWith("handed off", (string?)failed["actual"], StringComparison.Ordinal);

        var id = (string)(await wrong.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await World.Deskbridge.Http.DeleteAsync($"{path}/cases/{id}")).StatusCode);
        Assert.Equal(1.0, (double)(await World.Deskbridge.GetJsonAsync<JsonObject>($"{path}/suite"))["passRate"]!);
    }

    [Fact]
    public async Task Passage_embeddings_are_stored_once_in_the_database()
    {
        // Paraphrases, not the articles' own words: a question BM25 is sure of is not embedded (lexical first), and
        // neither are the passages until a question needs them.
        await World.Deskbridge.GetJsonAsync<JsonObject>($"{Path}/evaluate{Query("Which online wallets can I settle the bill with?")}");
        var first = await EmbeddingRowsAsync();
        await World.Deskbridge.GetJsonAsync<JsonObject>($"{Path}/evaluate{Query("How many days until a parcel reaches Norway?")}");

        Assert.True(first > 20, $"{first} rows");
        Assert.Equal(first, await EmbeddingRowsAsync());
    }

    private async Task<int> EmbeddingRowsAsync()
    {
        await using var scope = World.Deskbridge.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().PassageEmbeddings.CountAsync();
    }
}
