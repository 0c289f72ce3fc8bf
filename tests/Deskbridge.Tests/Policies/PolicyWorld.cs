using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Simulation;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Policies;

/// <summary>The send policy, drafts, business hours and handoff message of the world's organization, through its admin API.</summary>
internal static class PolicyWorld
{
    public static async Task SendPolicyAsync(this ConnectedWorld world, params object[] rules)
    {
        var response = await world.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{world.Organization.Id}/send-policy", rules);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task BusinessHoursAsync(this ConnectedWorld world, object hours)
    {
        var response = await world.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{world.Organization.Id}/business-hours", hours);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task HandoffMessageAsync(this ConnectedWorld world, object message)
    {
        var response = await world.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{world.Organization.Id}/handoff-message", message);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Open all week, every hour: "inside business hours" whenever a test runs.</summary>
    public static object AlwaysOpen(string timeZone = "Europe/Berlin") => new
    {
        timeZone,
        weekly = Enum.GetNames<DayOfWeek>().Select(d => new { day = d, open = "00:00", close = "24:00" }).ToArray(),
        holidays = Array.Empty<string>(),
    };

    /// <summary>Open all week, but today (and tomorrow, for a run across midnight) is a holiday in the zone: outside business hours.</summary>
    public static object ClosedToday(string timeZone = "Europe/Berlin")
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(timeZone)).DateTime);
        return new
        {
            timeZone,
            weekly = Enum.GetNames<DayOfWeek>().Select(d => new { day = d, open = "00:00", close = "24:00" }).ToArray(),
            holidays = new[] { today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
        };
    }

    /// <summary>The final fate of the event of one message.</summary>
    public static async Task<DeskbridgeApi.EventView> FateAsync(this ConnectedWorld world, string threadId, string messageId) =>
        (await Eventually.UntilAsync(async () => (await world.Deskbridge.EventsAsync(world.Organization.Id, $"&threadId={threadId}")).FirstOrDefault(e => e.MessageId == messageId),
            e => e is { Status: "Done" }, what: $"the fate of message {messageId}"))!;

    public static async Task<List<JsonObject>> DraftsAsync(this ConnectedWorld world, string threadId) =>
        [.. (await world.Deskbridge.Http.GetFromJsonAsync<List<JsonObject>>($"api/organizations/{world.Organization.Id}/drafts"))!
            .Where(d => (string?)d["threadId"] == threadId)];

    /// <summary>A human agent's internal comment in the thread (the HubSpot inbox's "Comment" tab).</summary>
    public static async Task<string> HumanCommentsAsync(this ConnectedWorld world, string threadId, string text) =>
        (await world.SandboxAdmin.AgentWritesAsync(new AgentMessageRequest(threadId, null, "COMMENT", text, null))).MessageId;

    public static async Task<string> HumanRepliesAsync(this ConnectedWorld world, string threadId, string text) =>
        (await world.SandboxAdmin.AgentWritesAsync(new AgentMessageRequest(threadId, null, "MESSAGE", text, null))).MessageId;

    /// <summary>What the AI user sent to the customer (MESSAGE, not comments).</summary>
    public static async Task<List<JsonObject>> AiMessagesAsync(this ConnectedWorld world, string threadId) =>
        [.. (await world.MessagesAsync(threadId)).Where(m => (string?)m["type"] == "MESSAGE" && (string?)m["createdBy"] == world.AiActor)];

    public static async Task<List<JsonObject>> CommentsAsync(this ConnectedWorld world, string threadId) =>
        [.. (await world.MessagesAsync(threadId)).Where(m => (string?)m["type"] == "COMMENT")];
}
