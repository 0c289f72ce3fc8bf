using Deskbridge.HubSpot;

namespace Deskbridge.Demo;

public static class DemoRegistration
{
    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        var demo = builder.Configuration.GetSection(DemoOptions.SectionName).Get<DemoOptions>() ?? new DemoOptions();
        var realToken = builder.Configuration[$"{HubSpotOptions.SectionName}:{nameof(HubSpotOptions.AccessToken)}"];
        var decision = Decide(demo.Enabled, builder.Environment, !string.IsNullOrEmpty(realToken));
        if (decision.On)
        {
            builder.Services.AddHostedService<DemoSetup>();
        }
        builder.Services.AddSingleton(services => new DemoStatusLog(decision, services.GetRequiredService<ILogger<DemoStatusLog>>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<DemoStatusLog>());
        return builder;
    }

    /// <summary>
    /// The demo owner's password is in the README: a deployment must never get that account by accident. Outside
    /// Development (dotnet run uses launchSettings' Development) the demo starts only when Demo:Enabled=true says so.
    /// </summary>
    public static DemoDecision Decide(bool? configured, IHostEnvironment environment, bool realTokenConfigured) => configured switch
    {
        true => new(true, "Demo:Enabled=true"),
        false => new(false, "Demo:Enabled=false"),
        null when !environment.IsDevelopment() => new(false, $"the {environment.EnvironmentName} environment starts it only with Demo:Enabled=true"),
        null when realTokenConfigured => new(false, "HubSpot:AccessToken is configured"),
        null => new(true, "Development environment without HubSpot:AccessToken"),
    };
}

public sealed record DemoDecision(bool On, string Why);

/// <summary>Says at start-up whether the demo (and its owner with the README's password) runs, and why.</summary>
public sealed partial class DemoStatusLog(DemoDecision decision, ILogger<DemoStatusLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (decision.On)
        {
            LogDemoOn(logger, decision.Why);
        }
        else
        {
            LogDemoOff(logger, decision.Why);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo on ({Why}): a HubSpot sandbox and a demo owner with a published password. Not for a deployment.")]
    private static partial void LogDemoOn(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo off ({Why}).")]
    private static partial void LogDemoOff(ILogger logger, string why);
}
