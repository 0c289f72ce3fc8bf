using System.Net;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Security;

/// <summary>S9: disconnecting erases the credentials and stops processing; nothing else is lost.</summary>
public sealed class DisconnectTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    [Fact]
    public async Task After_disconnect_events_are_recorded_as_organization_disconnected_and_history_stays()
    {
        var world = fixture.World;
        var written = await world.CustomerWritesAsync("How long does standard shipping take?");
        var before = await world.SettledEventsAsync(written.ThreadId, atLeast: 3);
        var sessionId = before.First(e => e.SessionId is not null).SessionId;

        Assert.Equal(HttpStatusCode.NoContent, (await world.Deskbridge.Http.DeleteAsync($"api/organizations/{world.Organization.Id}/hubspot")).StatusCode);
        var later = await world.CustomerWritesAsync("And what does express cost?", threadId: written.ThreadId);
        var after = await world.SettledEventsAsync(written.ThreadId, atLeast: before.Count + 1);

        var disconnected = Assert.Single(after, e => e.MessageId == later.MessageId);
        Assert.Equal("Skipped", disconnected.Fate);
        Assert.Contains("Organization disconnected", disconnected.Reason, StringComparison.Ordinal);
        Assert.Single(await world.MessagesFromAsync(written.ThreadId, world.AiActor));

        var organization = await world.Deskbridge.GetJsonAsync<JsonObject>($"api/organizations/{world.Organization.Id}");
        Assert.Null(organization["connection"]);
        var session = await world.Deskbridge.GetJsonAsync<JsonObject>($"api/organizations/{world.Organization.Id}/sessions/{sessionId}");
        Assert.Contains(session["transcript"]!.AsArray(), t => (string?)t!["speaker"] == "Ai");
        Assert.All(before, e => Assert.Contains(after, a => a.Id == e.Id && a.Fate == e.Fate));
        var health = await world.Deskbridge.GetJsonAsync<JsonObject>($"api/organizations/{world.Organization.Id}/health");
        Assert.False((bool?)health["connected"]);
    }
}
