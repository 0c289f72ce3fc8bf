namespace Deskbridge.WorkflowActions;

/// <summary>U3: what a paused session's customer messages are recorded with (the message handler's one check).</summary>
public static class AiPause
{
    public const string SkipReason =
        "Paused by workflow: a HubSpot workflow paused the AI on this thread (U3 Pause AI); Resume AI or Send to AI lets it answer again.";
}
