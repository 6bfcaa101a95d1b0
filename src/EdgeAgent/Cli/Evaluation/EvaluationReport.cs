using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeAgent.Cli.Evaluation;

/// <summary>
/// <c>evaluate --report</c>: one self-contained HTML page (inline CSS and SVG, no script, nothing fetched) with the
/// per-series table and, per series, a chart of what the detector saw: the signal, its score against the alert
/// threshold, NAB's labelled windows and probationary period, and each alert from its start to its end. Every
/// series is drawn at a fixed number of pixel columns, each keeping the first, lowest, highest and last point of
/// its rows, so a 23,000-row series keeps its spikes and the page stays small.
/// </summary>
public static partial class EvaluationReport
{
    public static void Write(string path, IReadOnlyList<EvaluatedSeries> series,
        IReadOnlyDictionary<string, IReadOnlyList<(long Start, long End)>>? labels, NabReport? nab)
    {
        var html = new StringBuilder(1 << 20);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>EdgeAgent evaluation</title>\n<style>")
            .Append(Css).Append("</style></head><body>\n<h1>EdgeAgent evaluation</h1>\n");
        if (nab is not null)
        {
            html.Append(Invariant($"<p class=\"scores\">NAB on {nab.Series.Count} series: <b>standard {nab.Standard:F2}</b>, reward low FP {nab.RewardLowFalsePositives:F2}, reward low FN {nab.RewardLowFalseNegatives:F2}; windows found {nab.Found}/{nab.Windows}, false alerts {nab.FalseAlerts}, mean delay {NabReportPrinter.Delay(nab.MeanDelay)}</p>\n"));
        }

        html.Append(Legend);
        AppendTable(html, series, nab);
        foreach (var one in series)
        {
            var windows = labels is not null && labels.TryGetValue(one.Name, out var w) ? w : [];
            var score = nab?.Series.FirstOrDefault(s => s.Name == one.Name);
            AppendChart(html, one, windows, labels?.ContainsKey(one.Name) == true, score);
        }

        html.Append("</body></html>\n");
        File.WriteAllText(path, html.ToString());
    }

    private static void AppendTable(StringBuilder html, IReadOnlyList<EvaluatedSeries> series, NabReport? nab)
    {
        html.Append("<table><thead><tr><th>series</th><th>rows</th><th>dropped</th><th>alerts</th><th>raised at the end</th>");
        if (nab is not null)
        {
            html.Append("<th>windows</th><th>found</th><th>missed</th><th>false alerts</th><th>mean delay</th><th>raw standard</th><th>standard</th><th>low FP</th><th>low FN</th>");
        }

        html.Append("</tr></thead><tbody>\n");
        foreach (var one in series)
        {
            var open = OpenAtEnd(one);
            html.Append(Invariant($"<tr><td><a href=\"#{Anchor(one.Name)}\">{Encode(one.Name)}</a></td><td>{one.Values.Count}</td><td>{one.Values.Count(double.IsNaN)}</td><td>{one.AlertStarts.Count}</td>"))
                .Append(open is null ? "<td></td>" : $"<td class=\"bad\">{NabReportPrinter.Delay(open)}</td>");
            if (nab?.Series.FirstOrDefault(s => s.Name == one.Name) is { } s)
            {
                html.Append(Invariant($"<td>{s.Windows}</td><td>{s.Found}</td><td{(s.Missed > 0 ? " class=\"bad\"" : "")}>{s.Missed}</td><td{(s.FalseAlerts > 0 ? " class=\"bad\"" : "")}>{s.FalseAlerts}</td><td>{NabReportPrinter.Delay(s.MeanDelay)}</td><td>{s.Raw[0]:F3}</td><td>{Number(s.Normalised(0))}</td><td>{Number(s.Normalised(1))}</td><td>{Number(s.Normalised(2))}</td>"));
            }
            else if (nab is not null)
            {
                html.Append("<td colspan=\"9\">no labels</td>");
            }

            html.Append("</tr>\n");
        }

        if (nab is not null)
        {
            html.Append(Invariant($"<tr class=\"total\"><td>total</td><td>{series.Sum(s => s.Values.Count)}</td><td>{series.Sum(s => s.Values.Count(double.IsNaN))}</td><td>{series.Sum(s => s.AlertStarts.Count)}</td><td>{series.Count(s => OpenAtEnd(s) is not null)} series</td>"))
                .Append(Invariant($"<td>{nab.Windows}</td><td>{nab.Found}</td><td>{nab.Missed}</td><td>{nab.FalseAlerts}</td><td>{NabReportPrinter.Delay(nab.MeanDelay)}</td><td>{nab.Series.Sum(s => s.Raw[0]):F3}</td><td><b>{Number(nab.Standard)}</b></td><td>{Number(nab.RewardLowFalsePositives)}</td><td>{Number(nab.RewardLowFalseNegatives)}</td></tr>\n"));
        }

        html.Append("</tbody></table>\n");
    }

    /// <summary>How long the alert still raised at the series' end has lasted; null when none is.</summary>
    internal static TimeSpan? OpenAtEnd(EvaluatedSeries series)
    {
        if (series.AlertStarts.Count == 0 || (series.AlertEnds.Count > 0 && series.AlertEnds[^1] >= series.AlertStarts[^1]))
        {
            return null;
        }

        return TimeSpan.FromTicks(series.Timestamps[^1] - series.Timestamps[series.AlertStarts[^1]]);
    }

    private static string Number(double value) => double.IsNaN(value) ? "-" : value.ToString("F2", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Anchor(string name) => "s-" + string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-'));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private const string Css = """
        body{font:13px/1.4 system-ui,sans-serif;margin:16px 24px;color:#222;background:#fff}
        h1{font-size:20px;margin:0 0 6px}h2{font-size:14px;margin:18px 0 2px}h2 span{font-weight:normal;color:#555}
        table{border-collapse:collapse;margin:8px 0 12px}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}
        td:first-child,th:first-child{text-align:left}th{background:#f2f2f2}tr.total td{font-weight:bold;border-top:2px solid #999}
        .bad{color:#b00020}.scores{font-size:14px}.legend span{margin-right:14px;white-space:nowrap}
        .sw{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle}
        svg{width:100%;height:auto;display:block;max-width:1400px}svg text{font:11px system-ui,sans-serif;fill:#444}
        """;

    private const string Legend = """
        <p class="legend"><span><i class="sw" style="background:#1f5fa8"></i>signal (min/max per pixel)</span><span><i class="sw" style="background:#6a3d9a"></i>score</span><span><i class="sw" style="background:#e08000"></i>threshold</span><span><i class="sw" style="background:rgba(255,196,0,.35)"></i>labelled window</span><span><i class="sw" style="background:rgba(128,128,128,.18)"></i>probationary period</span><span><i class="sw" style="background:rgba(220,0,40,.13)"></i>alert raised</span><span><i class="sw" style="background:#d00028"></i>anomaly_start</span><span><i class="sw" style="background:#00994d"></i>anomaly_end</span></p>
        """;
}
