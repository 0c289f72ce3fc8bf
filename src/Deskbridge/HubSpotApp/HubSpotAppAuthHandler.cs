using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Deskbridge.HubSpot;

namespace Deskbridge.HubSpotApp;

/// <summary>
/// Puts the app installation's current access token on each HubSpot call made for it (each attempt: it sits inside the
/// retry pipeline), and on a 401 refreshes once and sends the call again. When no token can be had, it answers as HubSpot
/// would (401 when the grant is gone, 503 when HubSpot could not be reached), so the client's error handling is unchanged.
/// </summary>
public sealed class HubSpotAppAuthHandler(HubSpotAppTokens tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (HubSpotClient.AppInstallationOf(request) is not { } organizationId)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        string token;
        try
        {
            token = await tokens.AccessTokenAsync(organizationId, cancellationToken);
        }
        catch (HubSpotAppTokenException ex)
        {
            return Refusal(request, ex);
        }
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        string fresh;
        try
        {
            fresh = await tokens.AfterUnauthorizedAsync(organizationId, token, cancellationToken);
        }
        catch (HubSpotAppTokenException)
        {
            return response;
        }
        if (fresh == token)
        {
            return response;
        }
        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fresh);
        return await base.SendAsync(request, cancellationToken);
    }

    private static HttpResponseMessage Refusal(HttpRequestMessage request, HubSpotAppTokenException ex) => new((HttpStatusCode)ex.StatusCode)
    {
        RequestMessage = request,
        Content = new StringContent(JsonSerializer.Serialize(new
        {
            status = "error",
            message = ex.Message,
            category = ex.StatusCode == StatusCodes.Status401Unauthorized ? "INVALID_AUTHENTICATION" : "SERVICE_UNAVAILABLE",
        }), Encoding.UTF8, "application/json"),
    };
}
