namespace Deskbridge.HubSpotSandbox.Webhooks;

/// <summary>One HTTP attempt to deliver a batch.</summary>
public sealed record DeliveryAttempt(
    long Id,
    string BatchId,
    int AttemptNumber,
    string? Url,
    int EventCount,
    IReadOnlyList<WebhookEvent> Events,
    string RequestBody,
    string StartedAt,
    string CompletedAt,
    int? StatusCode,
    string? ResponseBodyExcerpt,
    string? Error,
    bool Succeeded,
    string? NextRetryAt);

public sealed class DeliveryLog
{
    private const int Capacity = 5_000;
    private readonly Lock _lock = new();
    private readonly LinkedList<DeliveryAttempt> _attempts = new();
    private long _nextId = 1;

    public void Add(Func<long, DeliveryAttempt> create)
    {
        lock (_lock)
        {
            _attempts.AddLast(create(_nextId++));
            if (_attempts.Count > Capacity)
            {
                _attempts.RemoveFirst();
            }
        }
    }

    public IReadOnlyList<DeliveryAttempt> All()
    {
        lock (_lock)
        {
            return [.. _attempts];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _attempts.Clear();
        }
    }
}
