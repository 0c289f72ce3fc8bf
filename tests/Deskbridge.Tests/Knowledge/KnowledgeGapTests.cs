using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Tests.Knowledge;

/// <summary>I3: which handoffs are knowledge gaps, recorded once; the API's period checks.</summary>
public sealed class KnowledgeGapTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public async Task A_handoff_retried_after_a_failure_records_its_question_once()
    {
        await World.AddFaultAsync(new FaultRequest("/crm/v3/objects/tickets/*", FaultKind.Error, Method: "PATCH", StatusCode: 503, Count: 1));

        var written = await World.CustomerWritesAsync("Can I pay for my order with cryptocurrency like bitcoin?");
        var handoff = (await World.SettledEventsAsync(written.ThreadId, atLeast: 3)).Single(e => e.MessageId == written.MessageId);

        Assert.Equal(2, handoff.ProcessingAttempts);
        await using var scope = World.Deskbridge.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var row = Assert.Single(await db.KnowledgeGapQuestions.AsNoTracking().Where(q => q.MessageId == written.MessageId).ToListAsync());
        Assert.Equal("LowConfidence", row.Trigger);
        Assert.Equal(handoff.SessionId, row.SessionId);
        Assert.NotNull(row.Embedding);
    }

    [Fact]
    public async Task A_customer_asking_for_a_person_is_not_a_knowledge_gap()
    {
        var written = await World.CustomerWritesAsync("I want to talk to a real person please");
        var handoff = (await World.SettledEventsAsync(written.ThreadId, atLeast: 3)).Single(e => e.MessageId == written.MessageId);

        Assert.Contains("Handed off (CustomerAskedForHuman)", handoff.Reason, StringComparison.Ordinal);
        await using var scope = World.Deskbridge.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().KnowledgeGapQuestions.AnyAsync(q => q.MessageId == written.MessageId));
    }

    [Fact]
    public async Task A_send_policy_handoff_on_low_confidence_is_a_gap_with_the_answers_confidence_and_one_on_channel_is_not()
    {
        try
        {
            await SendPolicyAsync(new { action = "handoff", confidenceBelow = 1.0 });
            var unsure = await World.CustomerWritesAsync("How long does shipping take to a small island?");
            var unsureFate = (await World.SettledEventsAsync(unsure.ThreadId, atLeast: 3)).Single(e => e.MessageId == unsure.MessageId);

            await SendPolicyAsync(new { action = "handoff", channel = "chat" });
            var routed = await World.CustomerWritesAsync("How long does shipping take?");
            var routedFate = (await World.SettledEventsAsync(routed.ThreadId, atLeast: 3)).Single(e => e.MessageId == routed.MessageId);

            Assert.Contains("Handed off (SendPolicy)", unsureFate.Reason, StringComparison.Ordinal);
            Assert.Contains("Handed off (SendPolicy)", routedFate.Reason, StringComparison.Ordinal);
            await using var scope = World.Deskbridge.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
            var row = Assert.Single(await db.KnowledgeGapQuestions.AsNoTracking().Where(q => q.MessageId == unsure.MessageId).ToListAsync());
            Assert.Equal("SendPolicy", row.Trigger);
            Assert.InRange(row.Confidence!.Value, 0, 0.999);
            Assert.False(await db.KnowledgeGapQuestions.AnyAsync(q => q.MessageId == routed.MessageId));
        }
        finally
        {
            await SendPolicyAsync();
        }
    }

    private async Task SendPolicyAsync(params object[] rules)
    {
        var response = await World.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{World.Organization.Id}/send-policy", rules);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("from=2026-11-02&to=2026-11-01", "to")]
    [InlineData("from=2026-11-01T10:00:00", "from")]
    [InlineData("from=2020-01-01&to=2026-01-01", "from")]
    public async Task A_bad_period_is_a_problem_naming_the_field(string query, string field)
    {
        var response = await World.Deskbridge.Http.GetAsync($"api/organizations/{World.Organization.Id}/knowledge-gaps?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]![field]);
    }

}
