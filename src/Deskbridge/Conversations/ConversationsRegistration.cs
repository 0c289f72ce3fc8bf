using Deskbridge.Inbox;
using Deskbridge.Sessions;

namespace Deskbridge.Conversations;

public static class ConversationsRegistration
{
    /// <summary>C1–C8: the handlers of conversation events, the session store and the once-only poster.</summary>
    public static WebApplicationBuilder AddConversations(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SessionStore>();
        builder.Services.AddInboxEventHandler<ConversationMessageHandler>(ConversationMessageHandler.Type);
        builder.Services.AddInboxEventHandler<ConversationCreationHandler>(ConversationCreationHandler.Type);
        // G3–G5: conversation control.
        builder.Services.AddInboxEventHandler<ConversationPropertyChangeHandler>(ConversationPropertyChangeHandler.Type);
        builder.Services.AddScoped<ConversationControlSettings>();
        builder.Services.AddScoped<BurstWindow>();
        builder.Services.AddScoped<ReplyCap>();
        builder.Services.AddScoped<TakeoverGuard>();
        return builder;
    }
}
