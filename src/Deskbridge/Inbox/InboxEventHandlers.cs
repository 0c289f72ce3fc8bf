
namespace Deskbridge.Inbox;

/// <summary>
/// What a feature does with one kind of inbox event (W4). Features register theirs with
/// <see cref="InboxEventHandlerRegistration.AddInboxEventHandler{THandler}"/>; the inbox knows nothing of conversations or tickets,
/// and the set of acted-on types is what is registered, so a webhook crosses the folders one way: Webhooks → Inbox → feature.
/// </summary>
public interface IInboxEventHandler
{
    string SubscriptionType { get; }

    Task<EventOutcome> HandleAsync(InboxEvent inboxEvent, ProcessingContext context, CancellationToken ct);

    /// <summary>
    /// C9: HubSpot stayed unreachable past the retry horizon (<paramref name="why"/> says so). A handler may still give the
    /// event to a human; null means nothing more can be done and the event is Failed with that reason.
    /// </summary>
    Task<EventOutcome?> WhenHorizonRanOutAsync(InboxEvent inboxEvent, ProcessingContext context, string why, CancellationToken ct) =>
        Task.FromResult<EventOutcome?>(null);
}

/// <summary>The subscription types some feature acts on; every other type is recorded as ignored at ingress.</summary>
public sealed class InboxEventTypes
{
    private readonly SortedSet<string> _types = new(StringComparer.Ordinal);

    public IReadOnlySet<string> ActedOn => _types;

    internal void Add(string subscriptionType) => _types.Add(subscriptionType);
}

public static class InboxEventHandlerRegistration
{
    public static IServiceCollection AddInboxEventHandler<THandler>(this IServiceCollection services, string subscriptionType)
        where THandler : class, IInboxEventHandler
    {
        var types = services.FirstOrDefault(d => d.ServiceType == typeof(InboxEventTypes))?.ImplementationInstance as InboxEventTypes;
        if (types is null)
        {
            types = new InboxEventTypes();
            services.AddSingleton(types);
        }
        types.Add(subscriptionType);
        services.AddScoped<THandler>();
        services.AddScoped<IInboxEventHandler>(sp => sp.GetRequiredService<THandler>());
        return services;
    }
}
