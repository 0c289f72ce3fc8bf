namespace Deskbridge.Inbox;

/// <summary>
/// I2: why an event was skipped, as a short stable code beside its human-readable reason. The reason text may be
/// reworded; analytics group by these codes.
/// </summary>
public static class SkipCodes
{
    public const string OwnMessage = "own-message";
    public const string InternalComment = "internal-comment";
    public const string HumanAgentMessage = "human-agent-message";
    public const string NotCustomerMessage = "not-customer-message";
    public const string MachineSender = "machine-sender";
    public const string AutopilotOff = "autopilot-off";
    public const string AiPaused = "ai-paused";
    public const string HandedOff = "handed-off";
    public const string HumanOwned = "human-owned";
    public const string UnassignedThread = "unassigned-thread";
    public const string ReplyCap = "reply-cap";
    public const string TakenOverWhileAnswering = "taken-over-while-answering";
    public const string MessageMissing = "message-missing";
    public const string NotActedOn = "not-acted-on";
    public const string TicketSync = "ticket-sync";
    public const string DraftCommand = "draft-command";
    public const string Other = "other";

    /// <summary>What a person reads for each code (dashboard, CSV).</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [OwnMessage] = "Deskbridge's own post",
        [InternalComment] = "Internal comment",
        [HumanAgentMessage] = "Written by a human agent",
        [NotCustomerMessage] = "Not a customer message",
        [MachineSender] = "Automatic sender (G4)",
        [AutopilotOff] = "Autopilot off for the channel",
        [AiPaused] = "AI paused by a workflow",
        [HandedOff] = "Already handed off",
        [HumanOwned] = "Thread owned by a human",
        [UnassignedThread] = "Unassigned thread (answer only assigned)",
        [ReplyCap] = "Reply cap reached (loop guard)",
        [TakenOverWhileAnswering] = "Taken over while answering (G5)",
        [MessageMissing] = "Message not found in HubSpot",
        [NotActedOn] = "Event type or property not acted on",
        [TicketSync] = "Ticket edit not synced",
        [DraftCommand] = "Draft command refused",
        [Other] = "Other",
    };

    public static string LabelOf(string? code) => code is not null && Labels.TryGetValue(code, out var label) ? label : Labels[Other];
}
