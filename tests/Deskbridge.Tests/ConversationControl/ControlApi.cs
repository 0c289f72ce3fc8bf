using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.ConversationControl;

/// <summary>The conversation-control settings (G3/G5) and the waits these tests share.</summary>
internal static class ControlApi
{
    public static async Task SetAsync(ConnectedWorld world, string takeover, int? burstWindowSeconds)
    {
        var response = await world.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{world.Organization.Id}/conversation-control",
            new { takeover, burstWindowSeconds });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The AI's public replies on a thread (MESSAGE, not its comments).</summary>
    public static async Task<List<JsonObject>> AiRepliesAsync(ConnectedWorld world, string threadId) =>
        (await world.MessagesFromAsync(threadId, world.AiActor)).Where(m => (string?)m["type"] == "MESSAGE").ToList();

    /// <summary>The AI's internal comments (drafts): posted by the app, known by our marker.</summary>
    public static async Task<List<JsonObject>> AiCommentsAsync(ConnectedWorld world, string threadId) =>
        (await world.MessagesAsync(threadId)).Where(m => (string?)m["type"] == "COMMENT"
            && ((string?)m["richText"])?.Contains("<!-- OpenCX-AI-Response -->", StringComparison.Ordinal) == true).ToList();

    public static async Task<DeskbridgeApi.EventView> SettledAsync(ConnectedWorld world, string threadId, string messageId) =>
        (await Eventually.UntilAsync(() => world.Deskbridge.EventsAsync(world.Organization.Id, $"&threadId={threadId}"),
            events => events.Any(e => e.MessageId == messageId && e.Status == "Done"), TimeSpan.FromSeconds(30),
            $"the fate of message {messageId}")).Single(e => e.MessageId == messageId);

    /// <summary>The thread's conversation.propertyChange events once they all have their fate.</summary>
    public static async Task<List<DeskbridgeApi.EventView>> PropertyChangesAsync(ConnectedWorld world, string threadId, int atLeast) =>
        (await Eventually.UntilAsync(() => world.Deskbridge.EventsAsync(world.Organization.Id, $"&threadId={threadId}"),
            events => events.Count(e => e.SubscriptionType == "conversation.propertyChange" && e.Status == "Done") >= atLeast,
            TimeSpan.FromSeconds(30), $"{atLeast} settled conversation.propertyChange events"))
        .Where(e => e.SubscriptionType == "conversation.propertyChange").ToList();

    public static string Elapsed(Stopwatch watch) => $"{watch.Elapsed.TotalMilliseconds:0} ms";
}
