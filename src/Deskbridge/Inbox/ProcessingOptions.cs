namespace Deskbridge.Inbox;

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

    /// <summary>
    /// G3: a chat message waits this long for the customer's next lines, and every customer message of the thread that
    /// arrived within it gets one answer together. Email's window is <see cref="EmailDelay"/>. Zero answers each alone;
    /// an organization may set its own (Conversations/ConversationControl).
    /// </summary>
    public TimeSpan ChatBurstWindow { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// G4's last guard against two bots answering each other for ever: at most this many AI replies per thread within
    /// <see cref="AiReplyCapWindow"/>; a customer message beyond it is skipped with the reason.
    /// </summary>
    public int AiReplyCap { get; set; } = 10;

    public TimeSpan AiReplyCapWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// G5: an answer prepared for longer than this since the owner check read the thread re-reads it right before it is
    /// posted (one GET); a quicker one only if an assignment or status change of the thread waits in the inbox.
    /// </summary>
    public TimeSpan OwnerRecheckAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Failures that are not HubSpot's (a bug, a poison payload, storage refusing a write) before an event is failed, so
    /// one such event cannot hold its thread forever. Waiting on HubSpot is bounded by <see cref="RetryHorizon"/> instead.
    /// </summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>First wait after a failed attempt; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between two attempts of an event that waits on HubSpot.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// C9: how long after it arrived an event may wait on HubSpot (5xx, timeouts, 429, an open circuit) before it is given
    /// up: a customer message is then handed off. 24 h is HubSpot's own webhook retry horizon.
    /// </summary>
    public TimeSpan RetryHorizon { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// C1 read-after-write lag: a message HubSpot does not know yet right after its webhook is looked up this many times
    /// in all (waiting <see cref="NotFoundRetryDelay"/>, doubling) before it is recorded as gone.
    /// </summary>
    public int NotFoundAttempts { get; set; } = 4;

    public TimeSpan NotFoundRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long an instance's claim on a thread (an ordering key) lasts without renewal. It is renewed every third of this
    /// while the thread's event runs, so only a killed or frozen instance lets it run out; then another instance takes the
    /// thread over after at most this long.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest sleep between looks at the inbox when nothing wakes the processor.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
