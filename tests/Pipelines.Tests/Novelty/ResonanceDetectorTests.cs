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
