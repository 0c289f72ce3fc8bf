using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Deskbridge.Analytics;

/// <summary>
/// I2: the analytics charts as SVG drawn on the server — no script, no chart library, nothing from a CDN. Each chart
/// is role="img" with a title and a description for screen readers, every bar has its own title (the tooltip), and the
/// page shows the same numbers in a table beside it. Text from the data (reasons, labels) is HTML-encoded.
/// </summary>
public static class AnalyticsCharts
{
    public const string HandledColor = "#7a8699";
    public const string AnsweredColor = "#1b7f3b";
    public const string HandedOffColor = "#c26a00";
    public const string BarColor = "#2457c5";

    private const int TrendWidth = 880, TrendHeight = 190, Left = 34, Bottom = 20, Top = 8;

    /// <summary>Per day, three bars side by side: handled, answered by the AI, handed off.</summary>
    public static string DailyTrend(IReadOnlyList<DayFigures> days, string id)
    {
        var svg = new StringBuilder();
        var max = Math.Max(1, days.Count == 0 ? 0 : days.Max(d => d.Handled));
        var plotWidth = TrendWidth - Left - 4.0;
        var plotHeight = TrendHeight - Bottom - Top;
        var group = days.Count == 0 ? plotWidth : plotWidth / days.Count;
        var bar = Math.Max(0.6, group * 0.8 / 3);
        var total = days.Sum(d => d.Handled);
        Append(svg, $"<svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {TrendWidth} {TrendHeight}\" width=\"100%\" ");
        svg.Append("style=\"max-height:220px;background:#fafbfc;border:1px solid #dde2ea;border-radius:6px\" font-family=\"system-ui, sans-serif\" font-size=\"11\">");
        Append(svg, $"<title id=\"{id}-title\">Conversations per day: handled, answered by the AI, handed off</title>");
        Append(svg, $"<desc id=\"{id}-desc\">{days.Count} days from {Date(days.Count == 0 ? null : days[0])} to {Date(days.Count == 0 ? null : days[^1])}; {total} conversations handled, at most {max} on one day. The table below has every number.</desc>");
        // Axis and the top gridline with its value.
        Append(svg, $"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{TrendWidth - 4}\" y2=\"{Top + plotHeight}\" stroke=\"#cfd6e0\"/>");
        Append(svg, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{TrendWidth - 4}\" y2=\"{Top}\" stroke=\"#eef1f5\"/>");
        Append(svg, $"<text x=\"{Left - 4}\" y=\"{Top + 4}\" text-anchor=\"end\" fill=\"#5f6b7a\">{max}</text>");
        Append(svg, $"<text x=\"{Left - 4}\" y=\"{Top + plotHeight}\" text-anchor=\"end\" fill=\"#5f6b7a\">0</text>");
        for (var i = 0; i < days.Count; i++)
        {
            var d = days[i];
            var x = Left + i * group + group * 0.1;
            Bar(svg, x, d.Handled, HandledColor, $"{Date(d)}: {d.Handled} handled");
            Bar(svg, x + bar, d.AnsweredByAi, AnsweredColor, $"{Date(d)}: {d.AnsweredByAi} answered by the AI");
            Bar(svg, x + 2 * bar, d.HandedOff, HandedOffColor, $"{Date(d)}: {d.HandedOff} handed off");
        }
        // A few dates along the bottom: first, middle, last.
        foreach (var i in days.Count == 0 ? [] : new[] { 0, days.Count / 2, days.Count - 1 }.Distinct())
        {
            var anchor = i == 0 ? "start" : i == days.Count - 1 ? "end" : "middle";
            var x = i == 0 ? Left : i == days.Count - 1 ? TrendWidth - 4 : Left + (i + 0.5) * group;
            Append(svg, $"<text x=\"{x:0.#}\" y=\"{TrendHeight - 5}\" text-anchor=\"{anchor}\" fill=\"#5f6b7a\">{days[i].Day:d MMM}</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();

        void Bar(StringBuilder s, double x, int value, string color, string title)
        {
            if (value <= 0)
            {
                return;
            }
            var height = Math.Max(1.0, value * (double)plotHeight / max);
            Append(s, $"<rect x=\"{x:0.##}\" y=\"{Top + plotHeight - height:0.##}\" width=\"{bar:0.##}\" height=\"{height:0.##}\" fill=\"{color}\"><title>{Encode(title)}</title></rect>");
        }
    }

    /// <summary>One horizontal bar per row (trigger, skip reason, …), its label on the left and its count at the end.</summary>
    public static string HorizontalBars(IReadOnlyList<CountBy> rows, string id, string title)
    {
        // Drawn at about the width of a half-page card, so the text stays at its size.
        const int width = 400, labelWidth = 180, rowHeight = 24, countWidth = 34;
        var height = Math.Max(1, rows.Count) * rowHeight + 6;
        var max = Math.Max(1, rows.Count == 0 ? 0 : rows.Max(r => r.Count));
        var total = rows.Sum(r => r.Count);
        var svg = new StringBuilder();
        Append(svg, $"<svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {width} {height}\" width=\"100%\" ");
        Append(svg, $"style=\"max-width:{width}px\" font-family=\"system-ui, sans-serif\" font-size=\"12\">");
        Append(svg, $"<title id=\"{id}-title\">{Encode(title)}</title>");
        Append(svg, $"<desc id=\"{id}-desc\">{Encode(string.Join("; ", rows.Select(r => $"{r.Label}: {r.Count}")))}{(rows.Count == 0 ? "None." : $". {total} in all.")}</desc>");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var y = 3 + i * rowHeight;
            var barWidth = Math.Max(1.0, r.Count * (double)(width - labelWidth - countWidth) / max);
            // About 6.5 px a character at 12 px: 24 characters fill the label column; the full label is the title.
            var label = r.Label.Length > 24 ? r.Label[..23] + "…" : r.Label;
            Append(svg, $"<text x=\"{labelWidth - 8}\" y=\"{y + 15}\" text-anchor=\"end\" fill=\"#1d2330\">{Encode(label)}<title>{Encode(r.Label)}</title></text>");
            Append(svg, $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{barWidth:0.##}\" height=\"{rowHeight - 8}\" rx=\"2\" fill=\"{BarColor}\"><title>{Encode($"{r.Label}: {r.Count}")}</title></rect>");
            Append(svg, $"<text x=\"{labelWidth + barWidth + 6:0.##}\" y=\"{y + 15}\" fill=\"#5f6b7a\">{r.Count}</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Date(DayFigures? day) => day is null ? "" : day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    private static void Append(StringBuilder svg, FormattableString part) => svg.Append(part.ToString(CultureInfo.InvariantCulture));
}
