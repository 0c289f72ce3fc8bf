using System.Net;
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

    private static IEnumerable<string> Texts(JsonObject group) => group["examples"]!.AsArray().Select(e => (string)e!["text"]!);
}
