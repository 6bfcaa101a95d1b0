using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EdgeAgent.Cli.Evaluation;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli.Evaluation;

/// <summary>
/// Our NAB scoring against NAB's own (score.py running nab_sweeper.py, for real) on the 22 development series, for
/// detection sets that reach every branch of NAB's rules: none, random, on window edges and beside them, and many.
/// </summary>
public sealed partial class NabScorerTests : IDisposable
{
    private readonly TempDirectory _dir = new("nab-scorer");

    private static string DataDirectory => Path.Combine(RepositoryPaths.SharedData, "nab");

    private static string ScoreScript => Path.GetFullPath(Path.Combine(RepositoryPaths.SharedData, "..", "tools", "nab", "score.py"));

    public static TheoryData<string> DetectionSets => ["none", "random", "window-edges", "many-false"];

    [Theory]
    [MemberData(nameof(DetectionSets))]
    public async Task Scores_agree_with_NABs_score_py_on_the_development_set(string set)
    {
        var labels = LabelledWindows.Load(Path.Combine(DataDirectory, "anomaly_windows.json"));
        var texts = RawLabels();
        var detections = _dir.Combine(set);
        Directory.CreateDirectory(detections);
        var random = new Random(13);
        foreach (var name in labels.Keys)
        {
            var data = DetectionsFile.Read(Path.Combine(DataDirectory, name), null);
            var lines = new StringBuilder("timestamp,anomaly_score\n");
            switch (set)
            {
                case "none":
                    // Half the files get an empty detections file, the others none: score.py takes both as silence.
                    if (name.Length % 2 == 0)
                    {
                        continue;
                    }

                    break;
                case "random":
                    for (var i = 0; i < data.RawTimestamps.Count; i++)
                    {
                        if (random.NextDouble() < 0.004)
                        {
                            lines.Append(data.RawTimestamps[i]).Append(",1\n");
                        }
                    }

                    break;
                case "window-edges":
                    // Starts and ends as the label file writes them (another text for the same instant), the rows
                    // just before and after each window, and a listed row below the 0.5 threshold.
                    foreach (var (start, end) in texts[name])
                    {
                        lines.Append(start).Append(",1\n").Append(end).Append(",1\n");
                    }

                    foreach (var (start, end) in labels[name])
                    {
                        var first = data.Timestamps.ToList().IndexOf(start);
                        var last = data.Timestamps.ToList().IndexOf(end);
                        lines.Append(data.RawTimestamps[Math.Max(0, first - 1)]).Append(",1\n");
                        lines.Append(data.RawTimestamps[Math.Min(data.RawTimestamps.Count - 1, last + 7)]).Append(",1\n");
                        lines.Append(data.RawTimestamps[(first + last) / 2]).Append(",0.4\n");
                    }

                    break;
                case "many-false":
                    for (var i = 0; i < data.RawTimestamps.Count; i += 37)
                    {
                        lines.Append(data.RawTimestamps[i]).Append(",1\n");
                    }

                    break;
            }

            File.WriteAllText(Path.Combine(detections, name), lines.ToString());
        }

        var series = labels.Keys.Order(StringComparer.Ordinal)
            .Select(name => DetectionsFile.Read(Path.Combine(DataDirectory, name), Path.Combine(detections, name)))
            .ToList();
        var ours = NabScorer.Score(series, labels);
        var theirs = await RunScorePyAsync(detections);

        ours.Series.Should().HaveCount(22);
        foreach (var s in ours.Series)
        {
            var line = theirs.Lines.Single(l => l.StartsWith(s.Name + " ", StringComparison.Ordinal));
            var match = PerFileLine().Match(line);
            match.Success.Should().BeTrue(line);
            s.Windows.Should().Be(int.Parse(match.Groups["windows"].Value, CultureInfo.InvariantCulture), s.Name);
            s.Found.Should().Be(int.Parse(match.Groups["found"].Value, CultureInfo.InvariantCulture), s.Name);
            s.FalseAlerts.Should().Be(int.Parse(match.Groups["false"].Value, CultureInfo.InvariantCulture), s.Name);
            s.Raw[0].Should().BeApproximately(double.Parse(match.Groups["raw"].Value, CultureInfo.InvariantCulture), 0.0006, s.Name);
        }

        var total = TotalLine().Match(theirs.Last);
        total.Success.Should().BeTrue(theirs.Last);
        ours.Standard.Should().BeApproximately(Number(total, "standard"), 0.01);
        ours.RewardLowFalsePositives.Should().BeApproximately(Number(total, "lowfp"), 0.01);
        ours.RewardLowFalseNegatives.Should().BeApproximately(Number(total, "lowfn"), 0.01);
        ours.Found.Should().Be((int)Number(total, "found"));
        ours.Windows.Should().Be((int)Number(total, "windows"));
        ours.FalseAlerts.Should().Be((int)Number(total, "false"));
        if (set == "none")
        {
            ours.Standard.Should().Be(0);
        }
        else
        {
            // Not the trivial case: these sets find windows and raise false alerts.
            ours.Found.Should().BeGreaterThan(0);
            ours.FalseAlerts.Should().BeGreaterThan(0);
        }

        var printed = new StringWriter();
        NabReportPrinter.Write(printed, ours);
        printed.ToString().TrimEnd().Split('\n')[^1].Should().Be(theirs.Last, "the printer's last line is score.py's");
    }

    [Fact]
    public void A_detection_at_a_windows_start_scores_the_full_true_positive_weight_and_the_perfect_total_is_100()
    {
        var labels = LabelledWindows.Load(Path.Combine(DataDirectory, "anomaly_windows.json"));
        var series = labels.Keys.Select(name =>
        {
            var data = DetectionsFile.Read(Path.Combine(DataDirectory, name), null);
            var starts = labels[name].Select(w => data.Timestamps.ToList().IndexOf(w.Start)).ToList();
            return data with { AlertStarts = starts };
        }).ToList();

        var report = NabScorer.Score(series, labels);

        // Every development window starts after the probationary period, so this is NAB's perfect detector.
        report.Standard.Should().BeApproximately(100, 1e-9);
        report.RewardLowFalseNegatives.Should().BeApproximately(100, 1e-9);
        report.FalseAlerts.Should().Be(0);
        report.MeanDelay.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Series_without_labels_are_listed_not_scored()
    {
        var data = DetectionsFile.Read(Path.Combine(DataDirectory, "art_noisy.csv"), null) with { Name = "mine.csv" };

        var report = NabScorer.Score([data], new Dictionary<string, IReadOnlyList<(long, long)>>());

        report.Series.Should().BeEmpty();
        report.Unlabelled.Should().Equal("mine.csv");
    }

    public void Dispose() => _dir.Dispose();

    private static double Number(Match match, string group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private static Dictionary<string, List<(string Start, string End)>> RawLabels()
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(DataDirectory, "anomaly_windows.json")));
        return document.RootElement.EnumerateObject().ToDictionary(
            file => file.Name,
            file => file.Value.EnumerateArray().Select(pair => (pair[0].GetString()!, pair[1].GetString()!)).ToList());
    }

    private static async Task<(List<string> Lines, string Last)> RunScorePyAsync(string detections)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { ScoreScript, detections, "--data", DataDirectory, "--per-file" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, await stderr);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        return (lines, lines[^1]);
    }

    [GeneratedRegex(@"windows (?<windows>\d+) detected (?<found>\d+) missed \d+ false alerts (?<false>\d+) raw standard score\s+(?<raw>-?[\d.]+)")]
    private static partial Regex PerFileLine();

    [GeneratedRegex(@"standard=(?<standard>-?[\d.]+) low_FP=(?<lowfp>-?[\d.]+) low_FN=(?<lowfn>-?[\d.]+); windows detected (?<found>\d+)/(?<windows>\d+), false alerts (?<false>\d+)")]
    private static partial Regex TotalLine();
}
