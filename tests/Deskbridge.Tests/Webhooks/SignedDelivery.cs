using System.Globalization;
using Deskbridge.Testing;
using Deskbridge.Webhooks;

namespace Deskbridge.Tests.Webhooks;

/// <summary>Posts a body to the organization's webhook URL the way HubSpot does, v3-signed with the app's client secret.</summary>
public static class SignedDelivery
{
    public static Task<HttpResponseMessage> PostAsync(ConnectedWorld world, string body, string? timestamp = null) =>
        PostAsync(world, System.Text.Encoding.UTF8.GetBytes(body), timestamp);

    public static async Task<HttpResponseMessage> PostAsync(ConnectedWorld world, byte[] body, string? timestamp = null, HttpClient? http = null)
    {
        var url = new Uri(world.Deskbridge.BaseAddress, new Uri(world.Organization.WebhookUrl).AbsolutePath).ToString();
        var signedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("X-HubSpot-Request-Timestamp", timestamp ?? signedAt);
        request.Headers.TryAddWithoutValidation("X-HubSpot-Signature-v3", HubSpotSignature.ComputeV3(world.Sandbox.Options.ClientSecret, "POST", url, body, timestamp ?? signedAt));
        return await (http ?? world.Deskbridge.Http).SendAsync(request);
    }
}
