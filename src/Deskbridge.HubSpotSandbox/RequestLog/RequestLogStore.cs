namespace Deskbridge.HubSpotSandbox.RequestLog;

public sealed record LoggedRequest(long Sequence, string Method, string Path, string? Query, int Status, string Time, double DurationMilliseconds, string? Token);

/// <summary>Every public API call, so tests can count calls (filter with since=&lt;sequence&gt;).</summary>
public sealed class RequestLogStore
{
    private const int Capacity = 20_000;
    private readonly Lock _lock = new();
    private readonly LinkedList<LoggedRequest> _entries = new();
    private long _sequence;

    public void Add(Func<long, LoggedRequest> create)
    {
        lock (_lock)
        {
            _entries.AddLast(create(++_sequence));
            if (_entries.Count > Capacity)
            {
                _entries.RemoveFirst();
            }
        }
    }

    public (IReadOnlyList<LoggedRequest> Results, long LastSequence) Since(long since)
    {
        lock (_lock)
        {
            return ([.. _entries.Where(e => e.Sequence > since)], _sequence);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }
}
