using Deskbridge.Accounts;

namespace Deskbridge.Organizations;

public static class OrganizationRegistration
{
    public static WebApplicationBuilder AddOrganizations(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HubSpotAddressOptions>().BindConfiguration(HubSpotAddressOptions.SectionName);
        builder.Services.AddSingleton<HubSpotAddressPolicy>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<OrganizationDirectory>();
        builder.Services.AddScoped<ConnectionService>();
        builder.Services.AddScoped<OrganizationSettings>();
        builder.Services.AddScoped<WebhookUrlRotation>();
        builder.Services.AddScoped<Disconnection>();
        builder.Services.AddHostedService<ConfiguredConnection>();
        return builder;
    }
}
