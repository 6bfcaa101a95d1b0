using System.Text.RegularExpressions;
using EdgeAgent.Cli.Evaluation;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli.Evaluation;

/// <summary>
/// The HTML report over the 22 development series, with a simple stand-in detector (a rolling z-score with
/// hysteresis, here only to give the charts scores, thresholds and alerts). To look at the page, set
/// EDGEAGENT_REPORT_OUT to a file path: the test copies the report there.
/// </summary>
public sealed class EvaluationReportTests : IDisposable
{
    private readonly TempDirectory _dir = new("evaluation-report");

    private static string DataDirectory => Path.Combine(RepositoryPaths.SharedData, "nab");

    [Fact]
    public void One_self_contained_page_holds_the_table_and_a_chart_per_series()
    {
        var labels = LabelledWindows.Load(Path.Combine(DataDirectory, "anomaly_windows.json"));
        var series = labels.Keys.Order(StringComparer.Ordinal)
            .Select(name => RollingZScore(DetectionsFile.Read(Path.Combine(DataDirectory, name), null)))
            .ToList();
        var nab = NabScorer.Score(series, labels);
        var path = _dir.Combine("report.html");

        EvaluationReport.Write(path, series, labels, nab);

        var html = File.ReadAllText(path);
        if (Environment.GetEnvironmentVariable("EDGEAGENT_REPORT_OUT") is { Length: > 0 } copy)
        {
            File.Copy(path, copy, overwrite: true);
        }

        new FileInfo(path).Length.Should().BeLessThan(4 << 20, "22 series of up to 23k rows are drawn per pixel column, not per row");
        Regex.Matches(html, "<svg ").Should().HaveCount(22);
        html.Should().NotContainAny("<script", "src=", "http://", "https://", "@import", "url(");
        foreach (var one in series)
        {
            var anchor = "s-" + Regex.Replace(one.Name, "[^A-Za-z0-9]", "-");
            html.Should().Contain($"<h2 id=\"{anchor}\">{one.Name}");
            Regex.Matches(html, $"<a href=\"#{anchor}\">").Should().HaveCount(1);
        }

        Regex.Matches(html, "<title>anomaly_start ").Should().HaveCount(series.Sum(s => s.AlertStarts.Count));
        Regex.Matches(html, "<title>anomaly_end ").Should().HaveCount(series.Sum(s => s.AlertEnds.Count));
        Regex.Matches(html, "<title>labelled window ").Should().HaveCount(labels.Values.Sum(w => w.Count));
        html.Should().Contain(FormattableString.Invariant($"<b>standard {nab.Standard:F2}</b>"));
        series.Sum(s => s.AlertStarts.Count).Should().BeGreaterThan(22, "the stand-in detector does alert");
    }

    [Fact]
    public void A_series_without_scores_or_labels_still_gets_its_signal_and_alerts()
    {
        var data = DetectionsFile.Read(Path.Combine(DataDirectory, "art_daily_jumpsup.csv"), null) with { Name = "mine.csv", AlertStarts = [3000], AlertEnds = [] };
        var path = _dir.Combine("plain.html");

        EvaluationReport.Write(path, [data], null, null);

        var html = File.ReadAllText(path);
        html.Should().Contain("no score recorded").And.Contain("; no labels").And.Contain("still raised at the end");
        EvaluationReport.OpenAtEnd(data).Should().Be(TimeSpan.FromTicks(data.Timestamps[^1] - data.Timestamps[3000]));
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>|x − mean| / std over the previous 288 values; an alert starts above 5 and ends after 24 rows below 2.5.</summary>
    private static EvaluatedSeries RollingZScore(EvaluatedSeries data)
    {
        const int Span = 288;
        var scores = new double[data.Values.Count];
        var thresholds = new double[data.Values.Count];
        var starts = new List<int>();
        var ends = new List<int>();
        var active = false;
        var quiet = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (i < Span)
            {
                scores[i] = thresholds[i] = double.NaN;
                continue;
            }

            var window = data.Values.Skip(i - Span).Take(Span).ToArray();
            var mean = window.Average();
            var std = Math.Sqrt(window.Sum(v => (v - mean) * (v - mean)) / Span) + 1e-9;
            scores[i] = Math.Min(Math.Abs(data.Values[i] - mean) / std, 50);
            thresholds[i] = 5;
            if (!active && scores[i] > 5)
            {
                active = true;
                quiet = 0;
                starts.Add(i);
            }
            else if (active && (quiet = scores[i] < 2.5 ? quiet + 1 : 0) >= 24)
            {
                active = false;
                ends.Add(i);
            }
        }

        return data with { Scores = scores, Thresholds = thresholds, AlertStarts = starts, AlertEnds = ends };
    }
}
