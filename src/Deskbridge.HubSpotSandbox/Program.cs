namespace Deskbridge.HubSpotSandbox;

// An explicit Program class in our namespace, so a project referencing this one
// never sees two global "Program" types.
internal static class Program
{
    private const string DefaultUrl = "http://127.0.0.1:5099";

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = builder.Configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>() ?? new SandboxOptions();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddHubSpotSandbox(options);
        var app = builder.Build();
        app.MapHubSpotSandbox();
        await app.RunAsync();
    }
}
