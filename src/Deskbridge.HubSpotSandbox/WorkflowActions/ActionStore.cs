using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Deskbridge.HubSpotSandbox.WorkflowActions;

/// <summary>A stored custom action definition: the egg as given, its id, and one revision per change (HubSpot's revisionId).</summary>
public sealed class StoredDefinition
{
    public required long AppId { get; init; }
    public required string Id { get; init; }
    public required JsonObject Body { get; set; }
    public int Revision { get; set; } = 1;
    public long? ArchivedAt { get; set; }
    public List<(int Revision, DateTimeOffset At, JsonObject Definition)> Revisions { get; } = [];
}

/// <summary>One simulated workflow execution of a definition, from the first request to its final state.</summary>
public sealed class StoredExecution
{
    public required string CallbackId { get; init; }
    public required long AppId { get; init; }
    public required long PortalId { get; init; }
    public required string DefinitionId { get; init; }
    public required int DefinitionRevision { get; init; }
    public required string ActionUrl { get; init; }
    public required string RequestBody { get; init; }

    /// <summary>SENDING, SUCCESS, FAIL_CONTINUE, BLOCK (waiting for the callback), FAILED (refused, no retry) or RETRY (HubSpot would retry: 429, 5xx, timeout).</summary>
    public string State { get; set; } = "SENDING";
    public Dictionary<string, string>? OutputFields { get; set; }
    public string? FailureReasonType { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public List<ExecutionAttempt> Attempts { get; } = [];
}

public sealed record ExecutionAttempt(DateTimeOffset At, int? StatusCode, string? ResponseBody, string? Error, string? RetryAfter);

/// <summary>
/// The developer side of the sandbox: definitions per app and the executions run against them. Application-wide (an app
/// is installed in several portals), emptied by the whole sandbox's reset.
/// </summary>
public sealed class ActionStore
{
    private readonly ConcurrentDictionary<string, StoredDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoredExecution> _executions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _nextDefinition = 1000;
    private long _nextExecution;

    public Lock Gate => _lock;

    public StoredDefinition Add(long appId, JsonObject body, DateTimeOffset now)
    {
        var id = Interlocked.Increment(ref _nextDefinition).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var definition = new StoredDefinition { AppId = appId, Id = id, Body = body };
        definition.Revisions.Add((1, now, (JsonObject)body.DeepClone()));
        _definitions[id] = definition;
        return definition;
    }

    public StoredDefinition? Find(long appId, string id) =>
        _definitions.TryGetValue(id, out var d) && d.AppId == appId ? d : null;

    public IReadOnlyList<StoredDefinition> OfApp(long appId) =>
        [.. _definitions.Values.Where(d => d.AppId == appId).OrderBy(d => long.Parse(d.Id, System.Globalization.CultureInfo.InvariantCulture))];

    public long NextExecutionNumber() => Interlocked.Increment(ref _nextExecution);

    public void Add(StoredExecution execution) => _executions[execution.CallbackId] = execution;

    public StoredExecution? Execution(string callbackId) => _executions.GetValueOrDefault(callbackId);

    public IReadOnlyList<StoredExecution> Executions(long portalId) =>
        [.. _executions.Values.Where(e => e.PortalId == portalId).OrderBy(e => e.Attempts.FirstOrDefault()?.At ?? DateTimeOffset.MaxValue)];

    public void Reset()
    {
        _definitions.Clear();
        _executions.Clear();
        Interlocked.Exchange(ref _nextDefinition, 1000);
        Interlocked.Exchange(ref _nextExecution, 0);
    }
}
