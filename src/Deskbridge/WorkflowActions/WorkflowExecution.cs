namespace Deskbridge.WorkflowActions;

/// <summary>
/// One HubSpot workflow execution of one of our actions, by HubSpot's callbackId: claimed before acting, so a repeated
/// callbackId (HubSpot retries after a timeout, a 429 or a 5xx) is answered with the first outcome instead of acting twice.
/// </summary>
public sealed class WorkflowExecution
{
    public long Id { get; set; }
    public required string CallbackId { get; set; }
    public Guid OrganizationId { get; set; }
    public required string Action { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The answer sent (HubSpot's <c>{"outputFields":{…}}</c>); null while the execution is in progress.</summary>
    public string? ResponseJson { get; set; }

    /// <summary>The event log row (an inbox event) that records this execution's fate.</summary>
    public long? InboxEventId { get; set; }
}
