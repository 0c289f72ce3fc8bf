namespace Deskbridge.WorkflowActions;

/// <summary>U3: the custom workflow actions Deskbridge offers; <see cref="Slug"/> is the last segment of each one's action URL.</summary>
public enum WorkflowActionKind
{
    PauseAi,
    ResumeAi,
    SendToAi,
    RequestHandoff,
    CreateTicket,
}

public static class WorkflowActionSlugs
{
    public const string PathPrefix = "/hubspot-app/actions";

    public static readonly IReadOnlyList<WorkflowActionKind> All = Enum.GetValues<WorkflowActionKind>();

    public static string Slug(this WorkflowActionKind kind) => kind switch
    {
        WorkflowActionKind.PauseAi => "pause-ai",
        WorkflowActionKind.ResumeAi => "resume-ai",
        WorkflowActionKind.SendToAi => "send-to-ai",
        WorkflowActionKind.RequestHandoff => "request-handoff",
        WorkflowActionKind.CreateTicket => "create-ticket",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static WorkflowActionKind? FromSlug(string slug) => All.Cast<WorkflowActionKind?>().FirstOrDefault(k => k!.Value.Slug() == slug);

    /// <summary>The subscription type an execution is recorded under in the event log.</summary>
    public static string EventType(this WorkflowActionKind kind) => "workflow." + kind.Slug();
}
