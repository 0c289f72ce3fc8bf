using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Analytics;

/// <summary>The one use case behind the API, the CSV and the page: check the period and channel, then compute.</summary>
public sealed class AnalyticsRequest(DeskbridgeDb db, AnalyticsService analytics, IOptions<AnalyticsOptions> options, TimeProvider time)
{
    public sealed record Outcome(AnalyticsReport? Report, AnalyticsPeriod? Period, Dictionary<string, string[]>? Problems);

    public async Task<Outcome> RunAsync(Guid organizationId, string? from, string? to, string? days, string? channel, CancellationToken ct)
    {
        var period = AnalyticsPeriod.TryParse(from, to, days, channel, time.GetUtcNow(), options.Value.MaxPeriodDays, out var problems);
        if (period is null)
        {
            return new Outcome(null, null, problems);
        }
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct))
        {
            return new Outcome(null, period, null);
        }
        return new Outcome(await analytics.ComputeAsync(organizationId, period, ct), period, null);
    }
}
