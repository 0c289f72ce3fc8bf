namespace Deskbridge.Processing;

public sealed class ProcessingOptions
{
    public const string SectionName = "Processing";

    /// <summary>Off: this instance only accepts webhooks into the inbox (another instance, or a later start, processes them).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Events of different threads processed at the same time.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>How many of the oldest pending events (of threads that can move) one look at the inbox considers.</summary>
    public int ScanSize { get; set; } = 1000;

    /// <summary>C3: email waits this long before processing, so HubSpot-side workflows can finish first.</summary>
    public TimeSpan EmailDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Transient failures (HubSpot 429/5xx/timeouts beyond the client's own retries) before an event is failed.</summary>
    public int MaxAttempts { get; set; } = 6;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest sleep between looks at the inbox when nothing wakes the processor.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Where people open Deskbridge; handoff notes link to sessions under it.</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:5000/");
}
