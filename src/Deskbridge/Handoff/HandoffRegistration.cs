using Deskbridge.Inbox;

namespace Deskbridge.Handoff;

public static class HandoffRegistration
{
    /// <summary>H1–H7: handoff and its CRM sync, and the handler of ticket edits.</summary>
    public static WebApplicationBuilder AddHandoff(this WebApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<HandoffService>();
        builder.Services.AddScoped<ContactSync>();
        builder.Services.AddScoped<TicketSync>();
        builder.Services.AddScoped<HandoffTag>();
        builder.Services.AddScoped<CustomDataSync>();
        builder.Services.AddScoped<CrmContextLoader>();
        builder.Services.AddScoped<OwnerDirectory>();
        builder.Services.AddInboxEventHandler<TicketPropertyChangeHandler>(TicketPropertyChangeHandler.Type);
        return builder;
    }
}
