using System.Globalization;
using EdgeAgent.Pipelines.Novelty;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Novelty;

public sealed class ResonanceDetectorTests
{
    private static readonly DetectorOptions Options = new() { Kind = DetectorKind.Resonance, LearningSamples = 450, EarlyLearningSamples = 180, Memory = 1024 };

    private static double Step(ResonanceDetector detector, double value)
    {
        detector.Input[0] = (float)value;
        detector.Run();
        return detector.Output[0];
    }

    private static double[] Nab(string name) => [.. File.ReadLines(Path.Combine(RepositoryPaths.SharedData, "nab", name)).Skip(1)
        .Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture))];

    [Fact]
    public void The_jump_in_a_daily_pattern_is_found_inside_its_labelled_window()
    {
        // art_daily_jumpsup: labelled window 2014-04-10 16:15 .. 2014-04-12 01:45, rows 2787..3189.
        var detector = new ResonanceDetector(1, Options);
        var scores = Nab("art_daily_jumpsup.csv").Select(v => Step(detector, v)).ToArray();
        var first = Array.FindIndex(scores, 600, s => s >= 0.3);
        first.Should().BeInRange(2787, 3189);
    }

    [Fact]
    public void A_flat_line_and_non_finite_values_never_score()
    {
        var detector = new ResonanceDetector(1, Options);
        for (var i = 0; i < 3000; i++)
        {
            Step(detector, 7).Should().Be(0);
        }

        Step(detector, double.NaN).Should().Be(0);
    }

    private static DetectorOptions Ensemble(int span, params (int Learning, double Margin)[] tracks)
    {
        var options = new DetectorOptions { Kind = DetectorKind.Resonance, EarlyLearningSamples = 180, Memory = 1024, SpanWindows = span };
        options.Tracks.AddRange(tracks.Select(t => new ResonanceTrackOptions { LearningSamples = t.Learning, RangeMargin = t.Margin }));
        return options;
    }

    [Fact]
    public void The_ensemble_score_is_the_mean_of_its_members_recent_novelty()
    {
        // Each member alone, then together: every window's ensemble score is the mean of the members' scores.
        var values = Nab("ec2_cpu_utilization_fe7f93.csv");
        var a = new ResonanceDetector(1, Ensemble(30, (400, 0.7)));
        var b = new ResonanceDetector(1, Ensemble(30, (500, 1.7)));
        var both = new ResonanceDetector(1, Ensemble(30, (400, 0.7), (500, 1.7)));
        var disagreements = 0;
        foreach (var v in values)
        {
            var (sa, sb, s) = (Step(a, v), Step(b, v), Step(both, v));
            s.Should().BeApproximately((sa + sb) / 2, 1e-6);
            disagreements += (sa > 0) != (sb > 0) ? 1 : 0;
        }

        disagreements.Should().BePositive("members with other ranges and steps see different novelties (the point of an ensemble)");
    }

    [Fact]
    public void A_novelty_counts_for_span_windows_then_no_more()
    {
        // A member's novelty holds its confidence for spanWindows windows: every run of non-zero scores is at least
        // that long, and a single novelty makes a run of exactly that length.
        var detector = new ResonanceDetector(1, Ensemble(5, (450, 1.0)));
        var scores = Nab("art_daily_jumpsup.csv").Select(v => Step(detector, v)).ToArray();
        var runs = new List<int>();
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] > 0 && (i == 0 || scores[i - 1] == 0))
            {
                var end = i;
                while (end < scores.Length && scores[end] > 0)
                {
                    end++;
                }

                runs.Add(end - i);
            }
        }

        runs.Should().NotBeEmpty().And.OnlyContain(length => length >= 5);
        runs.Should().Contain(5);
    }

    [Fact]
    public void Steady_state_windows_allocate_nothing()
    {
        var detector = new ResonanceDetector(1, Options);
        var values = Nab("machine_temperature_system_failure.csv");
        for (var i = 0; i < 5000; i++)
        {
            Step(detector, values[i]);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 5000; i < values.Length; i++)
        {
            Step(detector, values[i]);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}
