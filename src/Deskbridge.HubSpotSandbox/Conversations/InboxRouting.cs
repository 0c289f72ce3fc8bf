using System.Collections.Concurrent;

namespace Deskbridge.HubSpotSandbox.Conversations;

/// <summary>
/// An inbox's assignment rule, as HubSpot's inbox routing settings hold it: new threads of that inbox go to one user,
/// or stay unassigned. A real portal routes nothing until an admin sets it up, so every inbox starts unassigned
/// unless <see cref="SandboxOptions.DefaultAssigneeUserId"/> asks for routing (the demo does, and says so).
/// </summary>
public sealed class InboxRouting(SandboxOptions options)
{
    private readonly ConcurrentDictionary<string, long?> _assignees = new(StringComparer.Ordinal);

    public void Reset() => _assignees.Clear();

    public long? AssigneeFor(string inboxId) => _assignees.TryGetValue(inboxId, out var userId) ? userId : options.DefaultAssigneeUserId;

    public void Route(string inboxId, long? userId) => _assignees[inboxId] = userId;
}
