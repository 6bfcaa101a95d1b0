using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli.Evaluation;

/// <summary><c>edgeagent evaluate</c> through the real executable, with config/nab.json and real NAB series.</summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string NabConfig => RepositoryPaths.File("config", "nab.json");

    private static string Nab => Path.Combine(RepositoryPaths.SharedData, "nab");

    [Fact]
    public async Task Writes_the_alert_starts_of_every_series_in_the_scorer_format_and_survives_bad_rows()
    {
        var input = Directory.CreateDirectory(_dir.Combine("in")).FullName;
        File.Copy(Path.Combine(Nab, "art_daily_jumpsup.csv"), Path.Combine(input, "art_daily_jumpsup.csv"));
        File.WriteAllText(Path.Combine(input, "short.csv"), "timestamp,value\n2020-01-01 00:00:00,1\n2020-01-01 00:05:00,2\n");

        // Duplicate, backward and unreadable rows and a two-day gap in an otherwise regular series.
        var messy = new StringBuilder("timestamp,value\n");
        var t = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 2000; i++)
        {
            var at = t.AddMinutes(5 * i).AddDays(i >= 1000 ? 2 : 0);
            messy.Append(CultureInfo.InvariantCulture, $"{at:yyyy-MM-dd HH:mm:ss},{Math.Sin(i / 20.0).ToString(CultureInfo.InvariantCulture)}\n");
            if (i == 500)
            {
                messy.Append(CultureInfo.InvariantCulture, $"{at:yyyy-MM-dd HH:mm:ss},7\n");
                messy.Append(CultureInfo.InvariantCulture, $"{at.AddHours(-1):yyyy-MM-dd HH:mm:ss},7\n");
                messy.Append(CultureInfo.InvariantCulture, $"{at.AddSeconds(1):yyyy-MM-dd HH:mm:ss},not-a-number\n");
            }
        }

        File.WriteAllText(Path.Combine(input, "messy.csv"), messy.ToString());
        var output = _dir.Combine("out");

        var report = _dir.Combine("report.html");
        var run = await AgentProcess.RunAsync(["evaluate", "--config", NabConfig, "--input", input, "--out", output,
            "--labels", Path.Combine(Nab, "anomaly_windows.json"), "--report", report]);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("3 of 3 series");
        run.Stderr.Should().Contain("messy.csv: 3 values skipped (").And.Contain("timestampBackwards 1").And.Contain("duplicateTimestamp 1");
        // NAB's table: the labelled series is scored (its window found), the other two are named as not scored.
        run.Stdout.Should().MatchRegex(@"art_daily_jumpsup\.csv +4032 +1 +1 +0 ");
        run.Stdout.Should().Contain("NAB score on 1 files: standard=").And.Contain("windows detected 1/1");
        run.Stdout.Should().Contain("not scored (no labels): messy.csv, short.csv");
        var html = File.ReadAllText(report);
        html.Should().StartWith("<!DOCTYPE html>").And.Contain("art_daily_jumpsup.csv").And.Contain("messy.csv").And.Contain("<svg");
        foreach (var name in new[] { "art_daily_jumpsup.csv", "short.csv", "messy.csv" })
        {
            var lines = File.ReadAllLines(Path.Combine(output, name));
            lines[0].Should().Be("timestamp,anomaly_score");
            var data = File.ReadAllText(Path.Combine(input, name));
            foreach (var line in lines.Skip(1))
            {
                line.Should().EndWith(",1");
                data.Should().Contain(line[..^2] + ",", "each detection names a data row by its timestamp text");
            }
        }
    }

    [Fact]
    public async Task The_development_set_scores_at_least_the_committed_level_with_no_false_alert_on_the_quiet_series()
    {
        var output = _dir.Combine("dev");
        var clock = Stopwatch.StartNew();
        var run = await AgentProcess.RunAsync(["evaluate", "--config", NabConfig, "--input", Nab, "--out", output]);
        clock.Stop();
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("22 of 22 series");

        var score = Process.Start(new ProcessStartInfo("python3", [Path.Combine(RepositoryPaths.SharedData, "..", "tools", "nab", "score.py"), output, "--per-file"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var text = await score.StandardOutput.ReadToEndAsync();
        await score.WaitForExitAsync();
        score.ExitCode.Should().Be(0, await score.StandardError.ReadToEndAsync());

        var last = text.Trim().Split('\n')[^1];
        var standard = double.Parse(last.Split("standard=")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        standard.Should().BeGreaterThanOrEqualTo(77.5, $"config/nab.json scored 78.42 when committed ({last})");
        foreach (var quiet in new[] { "art_daily_small_noise.csv", "art_flatline.csv", "art_noisy.csv" })
        {
            text.Split('\n').Single(l => l.StartsWith(quiet, StringComparison.Ordinal)).Should().Contain("false alerts 0 ");
        }
    }

    [Fact]
    public async Task A_missing_or_malformed_labels_file_is_one_line_and_exit_65_before_any_series_runs()
    {
        var input = Directory.CreateDirectory(_dir.Combine("labels-in")).FullName;
        File.Copy(Path.Combine(Nab, "art_daily_jumpsup.csv"), Path.Combine(input, "art_daily_jumpsup.csv"));
        var malformed = _dir.Write("labels.json", """{ "art_daily_jumpsup.csv": [["2014-04-10 16:15:00.000000", 7]] }""");
        foreach (var labels in new[] { _dir.Combine("no-such-labels.json"), malformed })
        {
            var run = await AgentProcess.RunAsync(["evaluate", "--config", NabConfig, "--input", input, "--out", _dir.Combine("labels-out"), "--labels", labels]);
            run.ExitCode.Should().Be(65, run.Stderr);
            run.Stderr.Should().Contain($"labels '{labels}'").And.NotContain("   at ");
            Directory.Exists(_dir.Combine("labels-out")).Should().BeFalse("nothing runs before the labels are read");
        }
    }

    public void Dispose() => _dir.Dispose();
}
