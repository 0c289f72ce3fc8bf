using Deskbridge.HubSpot;

namespace Deskbridge.Demo;

public static class DemoRegistration
{
    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        var demo = builder.Configuration.GetSection(DemoOptions.SectionName).Get<DemoOptions>() ?? new DemoOptions();
        var realToken = builder.Configuration[$"{HubSpotOptions.SectionName}:{nameof(HubSpotOptions.AccessToken)}"];
        if (demo.Enabled ?? string.IsNullOrEmpty(realToken))
        {
            builder.Services.AddHostedService<DemoSetup>();
        }
        return builder;
    }
}
