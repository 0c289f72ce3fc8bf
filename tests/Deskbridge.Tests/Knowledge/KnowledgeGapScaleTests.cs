using System.Diagnostics;
using System.Text.Json.Nodes;
using Deskbridge.Agent.Knowledge.Retrieval;
using Deskbridge.Knowledge.Gaps;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Deskbridge.Tests.Knowledge;

/// <summary>
/// I3 at the size the page is meant for: a few thousand questions, stored with their vectors (as the recorder stores them),
/// grouped through the API on a real SQLite file. The vectors are made around known topic centres, so the right groups are known.
/// </summary>
public sealed class KnowledgeGapScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Topics = 30;
    private const int PerTopic = 100;
    private DeskbridgeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await DeskbridgeTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Three_thousand_questions_on_thirty_topics_group_into_thirty_groups_within_three_seconds()
    {
        var organization = await _host.CreateOrganizationAsync("Scale Shop", "scale-shop");
        await SeedAsync(organization.Id);
        var api = $"api/organizations/{organization.Id}/knowledge-gaps?from=2026-01-01&to=2026-12-31";
        await _host.GetJsonAsync<JsonObject>(api);

        var timer = Stopwatch.StartNew();
        var report = await _host.GetJsonAsync<JsonObject>(api);
        timer.Stop();
        output.WriteLine($"{Topics * PerTopic} questions grouped through the API in {timer.ElapsedMilliseconds} ms");

        Assert.Equal(Topics * PerTopic, (int)report["questions"]!);
        var groups = report["groups"]!.AsArray();
        Assert.Equal(Topics, groups.Count);
        Assert.All(groups, g => Assert.Equal(PerTopic, (int)g!["count"]!));
        // Every group holds one topic's questions: the seeded text says which.
        Assert.All(groups, g => Assert.Single(g!["examples"]!.AsArray().Select(e => ((string)e!["text"]!).Split(':')[0]).Distinct()));
        // Measured 0.8 s on two cores shared with four other builds (load 64); the bound leaves room for a slower machine.
        Assert.InRange(timer.ElapsedMilliseconds, 0, 3000);
    }

    [Fact]
    public async Task Questions_stored_without_a_vector_are_embedded_once_when_the_report_groups_them()
    {
        var organization = await _host.CreateOrganizationAsync("Backfill Shop", "backfill-shop");
        var texts = KnowledgeGapGroupingTests.GiftWrapping.Concat(KnowledgeGapGroupingTests.Loyalty).ToList();
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
            var at = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            db.KnowledgeGapQuestions.AddRange(texts.Select((text, i) => new KnowledgeGapQuestion
            {
                OrganizationId = organization.Id, SessionId = Guid.NewGuid(), MessageId = $"b-{i}", Text = text, AskedAt = at + i, Trigger = "LowConfidence",
            }));
            await db.SaveChangesAsync();
        }
        var api = $"api/organizations/{organization.Id}/knowledge-gaps?from=2026-03-01&to=2026-03-02";

        var timer = Stopwatch.StartNew();
        var report = await _host.GetJsonAsync<JsonObject>(api);
        output.WriteLine($"{texts.Count} questions embedded and grouped in {timer.ElapsedMilliseconds} ms");

        Assert.Equal([3, 2], report["groups"]!.AsArray().Select(g => (int)g!["count"]!));
        await using var check = _host.Services.CreateAsyncScope();
        var stored = await check.ServiceProvider.GetRequiredService<DeskbridgeDb>().KnowledgeGapQuestions.AsNoTracking()
            .Where(q => q.OrganizationId == organization.Id).ToListAsync();
        Assert.All(stored, q => Assert.Equal(384 * sizeof(float), q.Embedding?.Length));
        Assert.All(stored, q => Assert.Equal(MiniLmPassageEmbedder.ModelName, q.EmbeddingModel));
    }

    private async Task SeedAsync(Guid organizationId)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var model = scope.ServiceProvider.GetRequiredService<IPassageEmbedder>().Model;
        var random = new Random(15);
        var centres = Enumerable.Range(0, Topics).Select(_ => Unit(Enumerable.Range(0, 384).Select(_ => (float)random.NextDouble() - 0.5f).ToArray())).ToList();
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (var i = 0; i < Topics * PerTopic; i++)
        {
            var topic = (i * 7) % Topics;
            var centre = centres[topic];
            // Close to its centre (cosine about 0.8), far from the others (about 0).
            var vector = Unit([.. centre.Select(x => x + (((float)random.NextDouble() - 0.5f) * 0.07f))]);
            db.KnowledgeGapQuestions.Add(new KnowledgeGapQuestion
            {
                OrganizationId = organizationId,
                SessionId = Guid.NewGuid(),
                MessageId = $"m-{i}",
                Text = $"topic {topic}: how does thing {topic} work with option {i % 13} on order {i}?",
                Language = "en",
                AskedAt = start + (i * 60_000L),
                Trigger = "LowConfidence",
                EmbeddingModel = model,
                Embedding = [.. vector.SelectMany(BitConverter.GetBytes)],
            });
        }
        await db.SaveChangesAsync();
    }

    private static float[] Unit(float[] vector)
    {
        VectorMath.Normalize(vector);
        return vector;
    }
}
