namespace Deskbridge.Inbox;

public static class InboxRegistration
{
    /// <summary>The whole path of an event once it is accepted: the group-committed writer, scheduling, the runner and fates.</summary>
    public static WebApplicationBuilder AddInbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProcessingOptions>().BindConfiguration(ProcessingOptions.SectionName)
            .Validate(o => o.RetryBaseDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.RetryBaseDelay && o.RetryHorizon > TimeSpan.Zero,
                "Processing:RetryBaseDelay and Processing:RetryHorizon must be positive, and Processing:MaxRetryDelay at least RetryBaseDelay.")
            .Validate(o => o.MaxAttempts >= 1 && o.NotFoundAttempts >= 1 && o.NotFoundRetryDelay >= TimeSpan.Zero,
                "Processing:MaxAttempts and Processing:NotFoundAttempts must be at least 1.")
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(1), "Processing:LeaseDuration must be at least 1 s.")
            .Validate(o => o.ChatBurstWindow >= TimeSpan.Zero && o.ChatBurstWindow <= TimeSpan.FromMinutes(1) && o.AiReplyCap >= 1 && o.AiReplyCapWindow > TimeSpan.Zero
                && o.OwnerRecheckAfter >= TimeSpan.Zero,
                "Processing:ChatBurstWindow must be 0 to 1 min, Processing:AiReplyCap at least 1, Processing:AiReplyCapWindow positive and Processing:OwnerRecheckAfter not negative.")
            .ValidateOnStart();
        builder.Services.AddScoped<InboxWriter>();
        builder.Services.AddSingleton<InboxBatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InboxBatcher>());
        builder.Services.AddSingleton<InboxSignal>();
        builder.Services.AddSingleton<ParkedOrganizations>();
        builder.Services.AddSingleton<InstanceIdentity>();
        builder.Services.AddSingleton<InboxLeases>();
        builder.Services.AddHostedService<InboxProcessor>();
        builder.Services.AddHostedService<InboxMetrics>();
        builder.Services.AddScoped<EventRunner>();
        builder.Services.AddScoped<FailedEventRetry>();
        builder.Services.AddScoped<EventRetry>();
        builder.Services.AddScoped<EventSearch>();
        return builder;
    }
}
