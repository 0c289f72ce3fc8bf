using System.Globalization;
using System.Text;
using Deskbridge.Health;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>O2: the connection's health in figures, with events over the last 24 hours as a server-drawn SVG chart.</summary>
public sealed class HealthModel(ConnectionHealthService health) : OrganizationPage
{
    protected override string Section => "health";

    public ConnectionHealth Health { get; private set; } = null!;

    public const int ChartWidth = 864;
    public const int ChartHeight = 120;

    public async Task OnGetAsync(CancellationToken ct) => Health = (await health.GetAsync(Organization.Id, ct))!;

    public int ChartMax => Math.Max(1, Health.EventsPer5Minutes.Count == 0 ? 1 : Health.EventsPer5Minutes.Max(p => p.Events));

    /// <summary>One bar per 5-minute bucket, as SVG rect elements.</summary>
    public string ChartBars()
    {
        var points = Health.EventsPer5Minutes;
        if (points.Count == 0)
        {
            return "";
        }
        var width = (double)ChartWidth / points.Count;
        var max = ChartMax;
        var svg = new StringBuilder();
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Events == 0)
            {
                continue;
            }
            var height = Math.Max(1.0, points[i].Events * (ChartHeight - 4.0) / max);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{i * width:0.##}\" y=\"{ChartHeight - height:0.##}\" width=\"{Math.Max(1, width - 0.5):0.##}\" height=\"{height:0.##}\"><title>{points[i].Start:HH:mm} UTC: {points[i].Events} event(s)</title></rect>");
        }
        return svg.ToString();
    }

    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } value)
        {
            return "never";
        }
        var span = now - value;
        return span.TotalMinutes < 1 ? "just now"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min ago"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours} h ago"
            : $"{(int)span.TotalDays} d ago";
    }
}
