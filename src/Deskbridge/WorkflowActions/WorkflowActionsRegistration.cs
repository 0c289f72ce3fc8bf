using Deskbridge.HubSpotApp;

namespace Deskbridge.WorkflowActions;

public static class WorkflowActionsRegistration
{
    /// <summary>U3: HubSpot custom workflow actions (Pause AI, Resume AI, Send to AI, Request handoff, Create ticket from session).</summary>
    public static WebApplicationBuilder AddWorkflowActions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HubSpotAppOptions>().BindConfiguration(HubSpotAppOptions.Section);
        builder.Services.AddOptions<WorkflowActionsOptions>().BindConfiguration(WorkflowActionsOptions.Section);
        builder.Services.AddScoped<WorkflowActionExecutor>();
        builder.Services.AddScoped<SessionTicket>();
        builder.Services.AddHttpClient<ActionDefinitionSync>(http => http.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddHostedService<ActionDefinitionStartupSync>();
        return builder;
    }
}
