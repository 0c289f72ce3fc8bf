namespace Deskbridge.Retention;

/// <summary>X5: how long processed events, their payloads and their dedup keys are kept.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>
    /// HubSpot retries a failed webhook delivery for up to 24 hours. A dedup key kept for less would let a late retry
    /// of an event we already handled through as new (a second reply), so start-up refuses a shorter period.
    /// </summary>
    public static readonly TimeSpan HubSpotRetryHorizon = TimeSpan.FromHours(24);

    /// <summary>Off: nothing is pruned (the database grows by about 2 KB per event).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>After this, a done event's raw envelope is emptied; its fate, reason and ids stay. Failed events keep theirs (they can be retried).</summary>
    public TimeSpan EventPayloads { get; set; } = TimeSpan.FromDays(7);

    /// <summary>After this, a done event's row (fate and reason, failed ones included) is deleted. Pending events are never deleted.</summary>
    public TimeSpan Events { get; set; } = TimeSpan.FromDays(30);

    /// <summary>After this (from the event's arrival), a repeat of the event is no longer recognised as a duplicate. At least 24 h.</summary>
    public TimeSpan DedupKeys { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Time between pruning rounds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows per write transaction: each holds SQLite's write lock for a few milliseconds only.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Pause between two write transactions of a round, so webhook commits get the lock in between.</summary>
    public TimeSpan PauseBetweenBatches { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Free pages kept in the file for new rows instead of being returned to the file system (reuse is cheaper than regrowing).</summary>
    public int KeepFreePages { get; set; } = 1024;

    /// <summary>Pages returned to the file system per incremental_vacuum step (4 KB each).</summary>
    public int VacuumPagesPerStep { get; set; } = 1000;

    internal static IEnumerable<string> Problems(RetentionOptions o)
    {
        if (o.DedupKeys < HubSpotRetryHorizon)
        {
            yield return $"Retention:DedupKeys ({o.DedupKeys}) must be at least HubSpot's webhook retry horizon of 24 hours, or a late retry of a handled event is processed again.";
        }
        if (o.EventPayloads <= TimeSpan.Zero || o.Interval <= TimeSpan.Zero || o.PauseBetweenBatches < TimeSpan.Zero)
        {
            yield return "Retention:EventPayloads and Retention:Interval must be positive, Retention:PauseBetweenBatches not negative.";
        }
        if (o.Events < o.EventPayloads || o.Events < o.DedupKeys)
        {
            yield return "Retention:Events must be at least Retention:EventPayloads and Retention:DedupKeys (a row outlives its payload and its dedup key).";
        }
        if (o.BatchSize is < 1 or > 10_000 || o.KeepFreePages < 0 || o.VacuumPagesPerStep < 1)
        {
            yield return "Retention:BatchSize must be 1…10000, Retention:KeepFreePages not negative, Retention:VacuumPagesPerStep at least 1.";
        }
    }
}
