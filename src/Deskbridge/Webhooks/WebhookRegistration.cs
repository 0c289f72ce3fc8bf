using Deskbridge.Organizations;

namespace Deskbridge.Webhooks;

public static class WebhookRegistration
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName);
        builder.Services.AddScoped<InboxWriter>();
        builder.Services.AddSingleton<InboxBatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InboxBatcher>());
        builder.Services.AddSingleton<WebhookUrls>();
        builder.Services.AddHostedService<PublicAddressCheck>();
        builder.Services.AddSingleton(WebhookUrlSigner.Create);
        return builder;
    }
}
