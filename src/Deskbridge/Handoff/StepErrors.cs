using Deskbridge.HubSpot;

namespace Deskbridge.Handoff;

internal static class StepErrors
{
    /// <summary>
    /// Transient faults throw, so the event is retried (every step is idempotent, so what was done is not done twice);
    /// anything else (a missing scope, a rejected value) is returned as text for the event's outcome and the handoff goes on.
    /// </summary>
    public static string? Reportable(HubSpotError? error) => error switch
    {
        null => null,
        { IsTransient: true } => throw new HubSpotException(error),
        _ => error.ToString(),
    };
}
