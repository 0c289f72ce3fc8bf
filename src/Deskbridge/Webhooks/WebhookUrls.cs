using Deskbridge.Organizations;
using Microsoft.Extensions.Options;

namespace Deskbridge.Webhooks;

/// <summary>The full webhook URL people paste into HubSpot.</summary>
public sealed class WebhookUrls(WebhookUrlSigner signer, IOptions<WebhookOptions> options)
{
    public Uri For(Organization organization, HttpRequest? request) => For(organization, request is null ? null : new Uri($"{request.Scheme}://{request.Host}/"));

    public Uri For(Organization organization, Uri? fallbackBase)
    {
        var baseUrl = options.Value.PublicBaseUrl ?? fallbackBase ?? WebhookOptions.LocalFallback;
        return new Uri(baseUrl, signer.PathFor(organization.Id, organization.WebhookKeyGeneration));
    }
}
