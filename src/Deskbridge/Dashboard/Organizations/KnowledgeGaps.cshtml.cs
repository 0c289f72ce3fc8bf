using System.Globalization;
using Deskbridge.Knowledge.Gaps;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>
/// I3: the questions the AI handed off because it was not sure, grouped by topic, biggest first; from a group, "Write an
/// article" opens the editor with a new article pre-filled from it.
/// </summary>
public sealed class KnowledgeGapsModel(KnowledgeGapReport gaps, TimeProvider time) : OrganizationPage
{
    protected override string Section => "knowledge-gaps";

    /// <summary>First day of the period (a date, UTC).</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    /// <summary>Last day of the period, included (a date, UTC).</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public GapReport? Report { get; private set; }
    public string? Problem { get; private set; }
    public string FromDay { get; private set; } = "";
    public string ToDay { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        // The page's "to" is a day people include; the report's period ends before the next midnight.
        var toExclusive = DateOnly.TryParseExact(To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last)
            ? last.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : To;
        var (period, problems) = GapPeriodInput.Parse(From, toExclusive, time.GetUtcNow());
        if (period is null)
        {
            Problem = string.Join(" ", problems.SelectMany(p => p.Value));
            return;
        }
        FromDay = period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        ToDay = (period.To.AddTicks(-1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Report = await gaps.BuildAsync(Organization.Id, period, ct);
    }
}
