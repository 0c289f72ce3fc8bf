using System.Net;
using Deskbridge.Demo;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Deskbridge.Tests.Security;

/// <summary>The demo's owner has a published password: a deployment (not Development) never gets it unless asked for.</summary>
public sealed class DemoProductionGuardTests
{
    /// <summary>Whether the built app registered the demo (read off the service list: resolving it would start nothing but cost a database).</summary>
    private static bool HasDemo(WebApplication app) => app.Services.GetRequiredService<DemoRegistrations>().Any;

    private sealed class DemoRegistrations(bool any)
    {
        public bool Any { get; } = any;
    }

    private static WebApplication Build(string environment, FakeLoggerProvider logs, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = Deskbridge.Testing.DeskbridgeTestHost.NewDataDirectory(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Deskbridge.Demo"] = "Information",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        return DeskbridgeApp.Build(["--urls", "http://127.0.0.1:0", "--environment", environment], settings, b =>
        {
            b.Logging.AddProvider(logs);
            b.Services.AddSingleton(new DemoRegistrations(b.Services.Any(d => d.ImplementationType == typeof(DemoSetup))));
        });
    }

    [Fact]
    public async Task Production_without_Demo_Enabled_starts_no_demo_and_says_so()
    {
        using var logs = new FakeLoggerProvider();
        await using var app = Build("Production", logs);
        await app.MigrateDatabaseAsync();
        await app.StartAsync();
        try
        {
            Assert.False(HasDemo(app));
            Assert.Contains(logs.Collector.GetSnapshot(), r => r.Message.StartsWith("Demo off (the Production environment", StringComparison.Ordinal));

            // The README's demo owner does not exist.
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var host = new Uri(address.TrimEnd('/') + "/");
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = host };
            var page = await client.GetStringAsync("login");
            var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            var options = new DemoOptions();
            var signIn = await client.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = options.OwnerEmail,
                ["password"] = options.OwnerPassword,
                ["__RequestVerificationToken"] = token,
            }));
            Assert.NotEqual(HttpStatusCode.Redirect, signIn.StatusCode);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Production_with_Demo_Enabled_true_gets_the_demo_and_a_warning()
    {
        using var logs = new FakeLoggerProvider();
        // Built, not started: the demo's sandbox would take its fixed port.
        await using var app = Build("Production", logs, new() { ["Demo:Enabled"] = "true" });
        await app.Services.GetRequiredService<DemoStatusLog>().StartAsync(default);

        Assert.True(HasDemo(app));
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.StartsWith("Demo on (Demo:Enabled=true)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Development_without_configuration_gets_the_demo_as_the_readme_says()
    {
        using var logs = new FakeLoggerProvider();
        await using var app = Build("Development", logs);

        Assert.True(HasDemo(app));
    }

    [Fact]
    public void Dotnet_run_starts_in_Development()
    {
        // README's `dotnet run --project src/Deskbridge` picks up this profile; without it the demo would be off.
        var settings = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Deskbridge", "Properties", "launchSettings.json");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(settings));
        var profile = json.RootElement.GetProperty("profiles").EnumerateObject().First().Value;
        Assert.Equal("Development", profile.GetProperty("environmentVariables").GetProperty("ASPNETCORE_ENVIRONMENT").GetString());
    }
}
