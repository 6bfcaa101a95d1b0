using System.Globalization;

namespace EdgeAgent.Cli.Evaluation;

/// <summary>The per-series and total NAB table that <c>evaluate --labels</c> prints.</summary>
public static class NabReportPrinter
{
    public static void Write(TextWriter output, NabReport report)
    {
        var width = Math.Max(6, report.Series.Select(s => s.Name.Length).DefaultIfEmpty(0).Max());
        output.WriteLine(Invariant($"{"series".PadRight(width)}  {"rows",6} {"windows",7} {"found",5} {"missed",6} {"false",5} {"mean delay",10}  {"raw std",8} {"standard",8} {"low FP",8} {"low FN",8}"));
        foreach (var s in report.Series)
        {
            output.WriteLine(Invariant($"{s.Name.PadRight(width)}  {s.Rows,6} {s.Windows,7} {s.Found,5} {s.Missed,6} {s.FalseAlerts,5} {Delay(s.MeanDelay),10}  {s.Raw[0],8:F3} {Number(s.Normalised(0))} {Number(s.Normalised(1))} {Number(s.Normalised(2))}"));
        }

        var rows = report.Series.Sum(s => s.Rows);
        var raw = report.Series.Sum(s => s.Raw[0]);
        output.WriteLine(Invariant($"{"total".PadRight(width)}  {rows,6} {report.Windows,7} {report.Found,5} {report.Missed,6} {report.FalseAlerts,5} {Delay(report.MeanDelay),10}  {raw,8:F3} {Number(report.Standard)} {Number(report.RewardLowFalsePositives)} {Number(report.RewardLowFalseNegatives)}"));
        if (report.Unlabelled.Count > 0)
        {
            output.WriteLine($"not scored (no labels): {string.Join(", ", report.Unlabelled)}");
        }

        output.WriteLine(Invariant(
            $"NAB score on {report.Series.Count} files: standard={report.Standard:F2} low_FP={report.RewardLowFalsePositives:F2} low_FN={report.RewardLowFalseNegatives:F2}; windows detected {report.Found}/{report.Windows}, false alerts {report.FalseAlerts}"));
    }

    private static string Number(double value) => double.IsNaN(value) ? "       -" : value.ToString("F2", CultureInfo.InvariantCulture).PadLeft(8);

    /// <summary>Compact delay: 45s, 12m, 3.5h, 2.1d.</summary>
    internal static string Delay(TimeSpan? delay) => delay switch
    {
        null => "-",
        { TotalMinutes: < 1 } d => Invariant($"{d.TotalSeconds:F0}s"),
        { TotalHours: < 1 } d => Invariant($"{d.TotalMinutes:F0}m"),
        { TotalDays: < 1 } d => Invariant($"{d.TotalHours:F1}h"),
        var d => Invariant($"{d.Value.TotalDays:F1}d"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
