namespace Deskbridge.Analytics;

/// <summary>I2: how the analytics figures are computed (section <c>Analytics</c>).</summary>
public sealed class AnalyticsOptions
{
    public const string SectionName = "Analytics";

    /// <summary>
    /// "Resolved by AI" needs this long without a customer message after the AI's last reply. Until it has passed the
    /// conversation is "not yet known" and left out of the rate.
    /// </summary>
    public TimeSpan ResolutionWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The longest period one request may cover: every figure is one indexed query over the period, and a year keeps those bounded.</summary>
    public int MaxPeriodDays { get; set; } = 366;

    /// <summary>How many handoff reasons (free text) are listed, most frequent first.</summary>
    public int TopReasons { get; set; } = 10;
}
