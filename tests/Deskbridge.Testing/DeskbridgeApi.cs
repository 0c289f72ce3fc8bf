using System.Net.Http.Json;
using System.Text.Json;

namespace Deskbridge.Testing;

/// <summary>Deskbridge's admin API, as a test uses it.</summary>
public static class DeskbridgeApi
{
    public sealed record Organization(Guid Id, string Name, string Slug, string WebhookUrl, string[] AutopilotChannels, bool AssistMode, bool TicketingEnabled);

    public sealed record EventView(long Id, string? EventId, string SubscriptionType, string ObjectId, string? MessageId, string? ThreadId, Guid? SessionId,
        string Status, string? Fate, string? Reason, string? LastError, int ProcessingAttempts, int AttemptNumber, string DedupKey,
        DateTimeOffset? ReceivedAt = null, DateTimeOffset? CompletedAt = null, long? OccurredAt = null, string? SkipCode = null);

    public static async Task<Organization> CreateOrganizationAsync(this DeskbridgeTestHost host, string? name = null, string? slug = null)
    {
        var response = await host.Http.PostAsJsonAsync("api/organizations", new { name = name ?? $"Org {Guid.NewGuid():N}", slug });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Organization>(DeskbridgeTestHost.Json))!;
    }

    public static async Task<List<EventView>> EventsAsync(this DeskbridgeTestHost host, Guid organizationId, string query = "") =>
        await host.GetJsonAsync<List<EventView>>($"api/organizations/{organizationId}/events?limit=1000{query}");

    public static string Batch(params object[] events) => JsonSerializer.Serialize(events);

    public static object NewMessageEvent(string threadId, string messageId, long eventId, int attemptNumber = 0) => new
    {
        eventId,
        subscriptionId = 1,
        portalId = 24681357,
        appId = 2345678,
        occurredAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        subscriptionType = "conversation.newMessage",
        attemptNumber,
        objectId = long.Parse(threadId, System.Globalization.CultureInfo.InvariantCulture),
        changeSource = "CRM",
        messageId,
        messageType = "MESSAGE",
        changeFlag = "NEW_MESSAGE",
    };
}
