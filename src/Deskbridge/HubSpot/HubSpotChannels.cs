namespace Deskbridge.HubSpot;

/// <summary>HubSpot's channel ids and the names autopilot is set by (S5).</summary>
public static class HubSpotChannels
{
    public const string LiveChatId = "1000";
    public const string FacebookMessengerId = "1001";
    public const string EmailId = "1002";
    public const string WhatsAppId = "1007";

    public static string NameOf(string? channelId) => channelId switch
    {
        LiveChatId => "chat",
        EmailId => "email",
        FacebookMessengerId => "facebook",
        WhatsAppId => "whatsapp",
        null => "unknown",
        _ => $"channel-{channelId}",
    };

    public static readonly IReadOnlyList<string> KnownNames = ["chat", "email", "facebook", "whatsapp"];
}
