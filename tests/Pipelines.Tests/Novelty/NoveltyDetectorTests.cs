using EdgeAgent.Pipelines.Novelty;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Novelty;

public sealed class NoveltyDetectorTests
{
    private static readonly DetectorOptions Options = new() { Scales = [1, 4], WarmupPoints = 100, HistoryPoints = 500 };

    private static double Step(NoveltyDetector detector, double value)
    {
        detector.Input[0] = (float)value;
        detector.Run();
        return detector.Output[0];
    }

    // A daily-like pattern: a sine with a period of 48 samples and a little deterministic noise.
    private static double Pattern(int i) => Math.Sin(2 * Math.PI * i / 48) + (0.02 * Math.Sin(i * 12.9898));

    [Fact]
    public void A_repeating_pattern_becomes_familiar_and_a_break_in_it_stands_out()
    {
        var detector = new NoveltyDetector(1, Options);
        var normal = new List<double>();
        for (var i = 0; i < 3000; i++)
        {
            var score = Step(detector, Pattern(i));
            if (i >= 2000)
            {
                normal.Add(score);
            }
        }

        // The pattern stops: the level stays flat at an unusual phase for a while.
        var broken = 0.0;
        for (var i = 3000; i < 3030; i++)
        {
            broken = Math.Max(broken, Step(detector, 0.5));
        }

        normal.Max().Should().BeLessThan(broken, "a shape never seen before is more novel than any repetition of the learned pattern");
        broken.Should().BeGreaterThan(3, "the break is several standard deviations of the usual novelty");
    }

    [Fact]
    public void A_flat_line_never_scores()
    {
        var detector = new NoveltyDetector(1, Options);
        for (var i = 0; i < 2000; i++)
        {
            Step(detector, 42).Should().Be(0);
        }
    }

    [Fact]
    public void Nothing_is_judged_during_warm_up_and_non_finite_input_is_ignored()
    {
        var detector = new NoveltyDetector(1, Options);
        for (var i = 0; i < 100; i++)
        {
            Step(detector, i % 7 == 0 ? 100 * i : i).Should().Be(0, "the distribution of novelty is unknown during warm-up");
        }

        Step(detector, double.NaN).Should().Be(0);
    }

    [Fact]
    public void An_out_of_range_value_scores_the_configured_level_at_once()
    {
        var detector = new NoveltyDetector(1, new DetectorOptions { Scales = [1], WarmupPoints = 50, OutOfRangeMargin = 0.1, OutOfRangeScore = 10 });
        for (var i = 0; i < 500; i++)
        {
            Step(detector, Pattern(i));
        }

        Step(detector, 5).Should().BeGreaterThanOrEqualTo(10);
    }

    [Fact]
    public void Each_feature_is_followed_on_its_own_and_the_output_names_the_novel_one()
    {
        var detector = new NoveltyDetector(2, Options);
        for (var i = 0; i < 3000; i++)
        {
            detector.Input[0] = (float)Pattern(i);
            detector.Input[1] = (float)Pattern(i + 7);
            detector.Run();
        }

        var peak = new float[3];
        for (var i = 3000; i < 3030; i++)
        {
            detector.Input[0] = (float)Pattern(i);
            detector.Input[1] = 0.5f;
            detector.Run();
            for (var k = 0; k < 3; k++)
            {
                peak[k] = Math.Max(peak[k], detector.Output[k]);
            }
        }

        peak[2].Should().BeGreaterThan(peak[1], "feature 1 broke its pattern, feature 0 did not");
        peak[0].Should().Be(peak[2], "the first output is the most novel feature");
    }

    [Fact]
    public void A_settled_range_relearns_the_learning_period_and_keeps_scoring()
    {
        var settled = new NoveltyDetector(1, new DetectorOptions { Scales = [1, 4], WarmupPoints = 100, HistoryPoints = 500, RangeLearningPoints = 450, RangeMargin = 1 });
        var broken = 0.0;
        for (var i = 0; i < 3030; i++)
        {
            var value = i < 3000 ? Pattern(i) : 0.5;
            var score = Step(settled, value);
            if (i >= 3000)
            {
                broken = Math.Max(broken, score);
            }
        }

        broken.Should().BeGreaterThan(3);
    }

    [Fact]
    public void Steady_state_windows_allocate_nothing()
    {
        var detector = new NoveltyDetector(1, Options);
        for (var i = 0; i < 5000; i++)
        {
            Step(detector, Pattern(i));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 5000; i < 10000; i++)
        {
            Step(detector, Pattern(i));
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}
