namespace Deskbridge.ConversationsList;

public static class ConversationsListRegistration
{
    /// <summary>I1: the conversations list, read by its API and the dashboard page.</summary>
    public static WebApplicationBuilder AddConversationsList(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ConversationList>();
        return builder;
    }

    public static WebApplication MapConversationsList(this WebApplication app)
    {
        app.MapConversationListEndpoints();
        return app;
    }
}
