namespace Deskbridge.HubSpotSandbox.Webhooks;

/// <summary>
/// HubSpot: "up to 10 retries spread out over the next 24 hours, with varying delays", randomised "to prevent a large
/// number of concurrent failures from being retried at the exact same time". HubSpot publishes no exact offsets, so the
/// sandbox doubles the gap each time (the n-th retry is due at window × (2^n − 1) / (2^10 − 1) after the first attempt:
/// about 1.4 min, 4 min, 10 min … 12 h, 24 h) and moves each retry by up to a quarter of its gap either way. The last
/// retry never lands after the window. Offsets are measured from the first attempt, so slow attempts do not stretch it.
/// </summary>
public static class WebhookRetrySchedule
{
    public const int HubSpotRetries = 10;
    public static readonly TimeSpan HubSpotWindow = TimeSpan.FromHours(24);
    private const double Jitter = 0.25;

    /// <summary>When retry <paramref name="retryNumber"/> (1-based) is due, counted from the batch's first attempt.</summary>
    public static TimeSpan OffsetOf(int retryNumber, TimeSpan window, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryNumber, 1);
        var unit = window.TotalMilliseconds / (Math.Pow(2, HubSpotRetries) - 1);
        var nominal = unit * (Math.Pow(2, Math.Min(retryNumber, 40)) - 1);
        var gap = unit * Math.Pow(2, Math.Min(retryNumber, 40) - 1);

        // Late jitter is allowed except for the last of HubSpot's retries, which stays inside the window.
        var late = retryNumber == HubSpotRetries ? 0 : Jitter;
        var shift = gap * ((random.NextDouble() * (late + Jitter)) - Jitter);
        return TimeSpan.FromMilliseconds(Math.Max(0, nominal + shift));
    }
}
