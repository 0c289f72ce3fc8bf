namespace Deskbridge.HubSpot;

public sealed partial class HubSpotClient
{
    /// <summary>The inbox account a thread's messages go out from; for email its deliveryIdentifier is the sending address.</summary>
    public Task<HubSpotResult<HubSpotChannelAccount>> GetChannelAccountAsync(HubSpotPortal portal, string channelAccountId, CancellationToken ct) =>
        SendAsync<HubSpotChannelAccount>(portal, HttpMethod.Get, $"conversations/v3/conversations/channel-accounts/{Escape(channelAccountId)}", null, ct);
}

public sealed record HubSpotChannelAccount(string Id, string? ChannelId, string? InboxId, string? Name, HubSpotDeliveryIdentifier? DeliveryIdentifier);
