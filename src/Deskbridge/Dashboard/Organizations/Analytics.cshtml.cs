using System.Globalization;
using Deskbridge.Analytics;
using Microsoft.AspNetCore.Mvc;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>I2: what the AI did over a period, in figures and charts; the same report as <c>GET /api/organizations/{id}/analytics</c>.</summary>
public sealed class AnalyticsModel(AnalyticsRequest analytics) : OrganizationPage
{
    protected override string Section => "analytics";

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Days { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Channel { get; set; }

    public AnalyticsReport? Report { get; private set; }
    public Dictionary<string, string[]> Problems { get; private set; } = [];

    public static IReadOnlyList<string> Channels => ["all", .. HubSpot.HubSpotChannels.KnownNames, "unknown"];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var outcome = await analytics.RunAsync(Organization.Id, From, To, Days, Channel, ct);
        Problems = outcome.Problems ?? [];
        Report = outcome.Report;
    }

    /// <summary>This page's query, for the CSV and JSON links and the presets (a preset drops from/to).</summary>
    public string Query(int? days = null, string? format = null)
    {
        var parts = new List<string>();
        if (days is { } d)
        {
            parts.Add($"days={d}");
        }
        else if (Report is { } r)
        {
            parts.Add($"from={Uri.EscapeDataString(r.From.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))}");
            parts.Add($"to={Uri.EscapeDataString(r.To.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))}");
        }
        if (!string.IsNullOrWhiteSpace(Channel) && Channel != "all")
        {
            parts.Add($"channel={Uri.EscapeDataString(Channel)}");
        }
        if (format is not null)
        {
            parts.Add($"format={format}");
        }
        return string.Join("&", parts);
    }

    /// <summary>The preset the page shows, when from/to were not given.</summary>
    public int? Preset => string.IsNullOrWhiteSpace(From) && string.IsNullOrWhiteSpace(To)
        ? int.TryParse(Days, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : AnalyticsPeriod.DefaultDays
        : null;

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString(r * 100 < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + " %" : "—";

    public static string Share(int part, int whole) => whole == 0 ? "" : Percent((double)part / whole) + " of handled";

    public static string Duration(long? ms) => ms switch
    {
        null => "—",
        < 1000 => $"{ms} ms",
        < 60_000 => (ms.Value / 1000d).ToString("0.#", CultureInfo.InvariantCulture) + " s",
        < 3_600_000 => (ms.Value / 60_000d).ToString("0.#", CultureInfo.InvariantCulture) + " min",
        _ => (ms.Value / 3_600_000d).ToString("0.#", CultureInfo.InvariantCulture) + " h",
    };

    public static string Day(DateTimeOffset at) => at.ToString("d MMM yyyy", CultureInfo.InvariantCulture) + (at.TimeOfDay == TimeSpan.Zero ? "" : at.ToString(" HH:mm", CultureInfo.InvariantCulture));
}
