namespace Deskbridge.Threads;

public static class ThreadsRegistration
{
    /// <summary>Posting on a HubSpot thread exactly once (replies and handoff notes alike), with our hidden markers.</summary>
    public static WebApplicationBuilder AddThreads(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ThreadPoster>();
        return builder;
    }
}
