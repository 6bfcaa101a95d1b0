using System.Text;

namespace EdgeAgent.Cli.Evaluation;

/// <summary>One series' chart: inline SVG, two panels (signal; score and threshold) on one time axis.</summary>
public static partial class EvaluationReport
{
    private const int Left = 70;
    private const int Columns = 1120;
    private const int Width = Left + Columns + 10;
    private const int SignalTop = 8;
    private const int SignalHeight = 120;
    private const int ScoreTop = 140;
    private const int ScoreHeight = 70;
    private const int Height = ScoreTop + ScoreHeight + 22;

    /// <summary>Points this many empty columns apart are not joined (a gap in the data shows as one).</summary>
    private const int GapColumns = 6;

    private static void AppendChart(StringBuilder html, EvaluatedSeries series, IReadOnlyList<(long Start, long End)> windows, bool labelled, NabSeriesScore? score)
    {
        html.Append(Invariant($"<h2 id=\"{Anchor(series.Name)}\">{Encode(series.Name)} <span>{series.Values.Count} rows, {series.AlertStarts.Count} alerts"));
        if (score is not null)
        {
            html.Append(Invariant($"; windows found {score.Found}/{score.Windows}, false alerts {score.FalseAlerts}, standard {Number(score.Normalised(0))}"));
        }
        else if (!labelled)
        {
            html.Append("; no labels");
        }

        html.Append("</span></h2>\n");
        var (t0, t1) = TimeRange(series.Timestamps);
        if (t0 > t1)
        {
            html.Append("<p>no readable timestamps</p>\n");
            return;
        }

        double X(long ticks) => Left + (Columns * (double)(ticks - t0) / Math.Max(1, t1 - t0));
        html.Append(Invariant($"<svg viewBox=\"0 0 {Width} {Height}\" role=\"img\"><rect x=\"{Left}\" y=\"{SignalTop}\" width=\"{Columns}\" height=\"{SignalHeight}\" fill=\"#fafafa\" stroke=\"#ccc\"/><rect x=\"{Left}\" y=\"{ScoreTop}\" width=\"{Columns}\" height=\"{ScoreHeight}\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n"));

        // Backgrounds first: probationary period, labelled windows, alerts.
        var probation = NabSweep.ProbationaryLength(series.Timestamps.Count);
        if (probation > 0)
        {
            Band(html, X(t0), X(series.Timestamps[probation - 1]), "rgba(128,128,128,.18)", $"probationary period: first {probation} rows");
        }

        foreach (var (start, end) in windows)
        {
            Band(html, X(start), X(end), "rgba(255,196,0,.35)", $"labelled window {Format(start)} .. {Format(end)}");
        }

        var ends = series.AlertEnds;
        foreach (var start in series.AlertStarts)
        {
            var end = ends.FirstOrDefault(e => e >= start, -1);
            var endTicks = end >= 0 ? series.Timestamps[end] : t1;
            Band(html, X(series.Timestamps[start]), X(endTicks), "rgba(220,0,40,.13)",
                $"alert {Format(series.Timestamps[start])} .. {(end >= 0 ? Format(endTicks) : "still raised at the end")}");
        }

        // Signal.
        var (lo, hi) = Range(series.Values, 0, 1);
        if (lo <= hi)
        {
            var pad = Math.Max((hi - lo) * 0.05, Math.Abs(hi) * 1e-9 + 1e-12);
            lo -= pad;
            hi += pad;
            AppendPath(html, series, series.Values, X, lo, hi, SignalTop, SignalHeight, "#1f5fa8");
            AxisLabel(html, SignalTop + 10, hi);
            AxisLabel(html, SignalTop + SignalHeight - 2, lo);
        }

        // Score against threshold: the scale keeps the threshold in view, clipping score spikes at the top.
        var (sLo, sHi) = Range(series.Scores, 0, 0.995);
        var (_, tHi) = Range(series.Thresholds, 0, 0.99);
        if (sLo <= sHi || tHi >= 0)
        {
            var top = Math.Max(sLo <= sHi ? sHi : 0, tHi > 0 ? tHi * 2 : 0);
            var bottom = Math.Min(0, sLo <= sHi ? sLo : 0);
            top = top > bottom ? top : bottom + 1;
            AppendPath(html, series, series.Thresholds, X, bottom, top, ScoreTop, ScoreHeight, "#e08000");
            AppendPath(html, series, series.Scores, X, bottom, top, ScoreTop, ScoreHeight, "#6a3d9a");
            AxisLabel(html, ScoreTop + 10, top);
            AxisLabel(html, ScoreTop + ScoreHeight - 2, bottom);
        }
        else
        {
            html.Append(Invariant($"<text x=\"{Left + 8}\" y=\"{ScoreTop + 20}\">no score recorded</text>\n"));
        }

        // Alert edges on top of everything.
        foreach (var start in series.AlertStarts)
        {
            var x = X(series.Timestamps[start]);
            html.Append(Invariant($"<g><title>anomaly_start {Format(series.Timestamps[start])}</title><line x1=\"{x:F1}\" x2=\"{x:F1}\" y1=\"{SignalTop}\" y2=\"{ScoreTop + ScoreHeight}\" stroke=\"#d00028\" stroke-width=\"1.2\"/><path d=\"M{x - 4:F1} {SignalTop}h8l-4 7z\" fill=\"#d00028\"/></g>\n"));
        }

        foreach (var end in ends)
        {
            var x = X(series.Timestamps[end]);
            html.Append(Invariant($"<g><title>anomaly_end {Format(series.Timestamps[end])}</title><line x1=\"{x:F1}\" x2=\"{x:F1}\" y1=\"{SignalTop}\" y2=\"{ScoreTop + ScoreHeight}\" stroke=\"#00994d\" stroke-width=\"1\" stroke-dasharray=\"3 2\"/></g>\n"));
        }

        TimeAxis(html, t0, t1);
        html.Append("</svg>\n");
    }

    /// <summary>Per pixel column the first, lowest, highest and last point (in row order), joined; NaN rows skipped.</summary>
    private static void AppendPath(StringBuilder html, EvaluatedSeries series, IReadOnlyList<double> values, Func<long, double> x,
        double lo, double hi, int top, int height, string colour)
    {
        var first = new int[Columns + 1];
        var last = new int[Columns + 1];
        var min = new int[Columns + 1];
        var max = new int[Columns + 1];
        Array.Fill(first, -1);
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            if (!double.IsFinite(v) || series.Timestamps[i] <= 0)
            {
                continue;
            }

            var c = Math.Clamp((int)(x(series.Timestamps[i]) - Left), 0, Columns);
            if (first[c] < 0)
            {
                first[c] = last[c] = min[c] = max[c] = i;
                continue;
            }

            last[c] = i;
            min[c] = v < values[min[c]] ? i : min[c];
            max[c] = v > values[max[c]] ? i : max[c];
        }

        var path = new StringBuilder();
        var previous = -GapColumns - 1;
        for (var c = 0; c <= Columns; c++)
        {
            if (first[c] < 0)
            {
                continue;
            }

            var move = c - previous > GapColumns;
            previous = c;
            int[] order = min[c] < max[c] ? [first[c], min[c], max[c], last[c]] : [first[c], max[c], min[c], last[c]];
            var lastY = double.NaN;
            foreach (var i in order)
            {
                var y = top + height - (height * (Math.Clamp(values[i], lo, hi) - lo) / (hi - lo));
                if (Math.Abs(y - lastY) < 0.25 && !move)
                {
                    continue;
                }

                path.Append(move ? 'M' : 'L').Append(Invariant($"{Left + c}.5 {y:F1}"));
                move = false;
                lastY = y;
            }
        }

        if (path.Length > 0)
        {
            html.Append(Invariant($"<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1\" stroke-linejoin=\"round\"/>\n"));
        }
    }

    private static void Band(StringBuilder html, double x1, double x2, string fill, string title) =>
        html.Append(Invariant($"<rect x=\"{x1:F1}\" y=\"{SignalTop}\" width=\"{Math.Max(1.5, x2 - x1):F1}\" height=\"{ScoreTop + ScoreHeight - SignalTop}\" fill=\"{fill}\"><title>{Encode(title)}</title></rect>\n"));

    private static void AxisLabel(StringBuilder html, int y, double value) =>
        html.Append(Invariant($"<text x=\"{Left - 4}\" y=\"{y}\" text-anchor=\"end\">{value:G4}</text>\n"));

    private static void TimeAxis(StringBuilder html, long t0, long t1)
    {
        var format = TimeSpan.FromTicks(t1 - t0) > TimeSpan.FromDays(3) ? "yyyy-MM-dd" : "MM-dd HH:mm";
        for (var k = 0; k <= 6; k++)
        {
            var ticks = t0 + ((t1 - t0) * k / 6);
            var x = Left + (Columns * k / 6.0);
            var anchor = k == 0 ? "start" : k == 6 ? "end" : "middle";
            html.Append(Invariant($"<text x=\"{x:F1}\" y=\"{Height - 6}\" text-anchor=\"{anchor}\">{new DateTime(ticks).ToString(format, System.Globalization.CultureInfo.InvariantCulture)}</text>\n"));
        }
    }

    private static (long Min, long Max) TimeRange(IReadOnlyList<long> timestamps)
    {
        long min = long.MaxValue, max = long.MinValue;
        foreach (var t in timestamps)
        {
            if (t > 0)
            {
                min = Math.Min(min, t);
                max = Math.Max(max, t);
            }
        }

        return (min, max);
    }

    /// <summary>The given quantiles of the finite values; (+∞, −∞) when there are none.</summary>
    private static (double Low, double High) Range(IReadOnlyList<double> values, double low, double high)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            return (double.PositiveInfinity, double.NegativeInfinity);
        }

        Array.Sort(finite);
        return (finite[(int)(low * (finite.Length - 1))], finite[(int)Math.Ceiling(high * (finite.Length - 1))]);
    }

    private static string Format(long ticks) => new DateTime(ticks).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
