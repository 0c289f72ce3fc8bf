namespace Deskbridge.HubSpot;

/// <summary>Thread assignment (U3 Send to AI gives a thread back to the AI user).</summary>
public sealed partial class HubSpotClient
{
    /// <summary>PUT, as the Conversations spec lists it (the guide shows POST; the sandbox takes both).</summary>
    public Task<HubSpotResult<HubSpotThread>> AssignThreadAsync(HubSpotPortal portal, string threadId, string actorId, CancellationToken ct) =>
        SendAsync<HubSpotThread>(portal, HttpMethod.Put, $"conversations/v3/conversations/threads/{Escape(threadId)}/assignee", new { actorId }, ct);
}
