using Deskbridge.Organizations;

namespace Deskbridge.Webhooks;

public static class WebhookRegistration
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName);
        builder.Services.AddSingleton<WebhookUrls>();
        builder.Services.AddHostedService<PublicAddressCheck>();
        builder.Services.AddSingleton(WebhookUrlSigner.Create);
        return builder;
    }
}
