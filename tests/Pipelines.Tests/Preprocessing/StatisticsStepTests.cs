using System.Numerics;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Preprocessing;

public sealed class StatisticsStepTests
{
    /// <summary>
    /// Every window length from 2 to 70 takes a different mix of the four-vector loop, the one-vector loop and the
    /// scalar tail; the extremes must be exact and the moments must match a plain two-pass computation.
    /// </summary>
    [Fact]
    public void Statistics_are_right_for_every_window_length()
    {
        var random = new Random(7);
        var features = FeaturePipeline.Create([new FeatureOptions { Statistics = [Statistic.Mean, Statistic.Std, Statistic.Min, Statistic.Max, Statistic.Rms] }], ["x"], 2);
        var output = new float[features.Length];
        for (var n = 2; n <= 70; n++)
        {
            var values = Enumerable.Range(0, n).Select(_ => 60 + ((random.NextDouble() - 0.5) * 4)).ToArray();
            features.Write(TestWindows.Of(values), output);

            var mean = values.Average();
            var variance = values.Select(v => (v - mean) * (v - mean)).Average();
            output[0].Should().BeApproximately((float)mean, 1e-4f, $"mean of {n}");
            output[1].Should().BeApproximately((float)Math.Sqrt(variance), 1e-4f, $"std of {n}");
            output[2].Should().Be((float)values.Min(), $"min of {n}");
            output[3].Should().Be((float)values.Max(), $"max of {n}");
            output[4].Should().BeApproximately((float)Math.Sqrt(values.Select(v => v * v).Average()), 1e-4f, $"rms of {n}");
        }
    }

    /// <summary>
    /// Unrolled loops and channel pairs must not change a single bit of the sums: each channel's sums must still
    /// add every vector lane's values in sample order. The reference is the plain one-vector-at-a-time loop with the
    /// IEEE Math.Min/Max; the step's one-instruction min/max equal it in value (Equal compares floats with Equals,
    /// for which +0 and -0 are the same number: the only thing the two kinds of min/max can disagree on for the
    /// finite values a window holds is which zero comes out, see <see cref="Extremes_at_zero_equal_the_IEEE_extremes_in_value"/>).
    /// </summary>
    [Fact]
    public void Paired_and_unrolled_loops_give_the_plain_loops_result_to_the_bit()
    {
        var random = new Random(11);
        var features = FeaturePipeline.Create([new FeatureOptions { Statistics = [Statistic.Mean, Statistic.Std, Statistic.Min, Statistic.Max, Statistic.Rms] }], ["a", "b", "c"], 2);
        var output = new float[features.Length];
        foreach (var n in new[] { 5, 16, 37, 64, 100 })
        {
            double[][] channels = [.. Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, n).Select(_ => (c * 1000) + (random.NextDouble() * 7)).ToArray())];
            features.Write(TestWindows.Of(channels), output);
            for (var c = 0; c < 3; c++)
            {
                var (mean, std, min, max, rms) = Reference(channels[c]);
                output.Skip(c * 5).Take(5).Should().Equal([(float)mean, (float)std, (float)min, (float)max, (float)rms], $"channel {c} of {n}");
            }
        }
    }

    /// <summary>
    /// Zeros of both signs, at every position and in both orders, with the rest of the window above (for the min)
    /// or below (for the max) zero: the extremes are 0 in value whatever sign the min/max instruction keeps, and
    /// every other statistic is the reference's to the bit (the sums see -0 and +0 as the same addend).
    /// </summary>
    [Fact]
    public void Extremes_at_zero_equal_the_IEEE_extremes_in_value()
    {
        var random = new Random(5);
        var features = FeaturePipeline.Create([new FeatureOptions { Statistics = [Statistic.Mean, Statistic.Std, Statistic.Min, Statistic.Max, Statistic.Rms] }], ["a", "b"], 2);
        var output = new float[features.Length];
        foreach (var n in new[] { 3, 4, 9, 16, 64 })
        {
            for (var at = 0; at + 1 < n; at++)
            {
                foreach (var (first, second) in new[] { (0.0, -0.0), (-0.0, 0.0) })
                {
                    var above = Enumerable.Range(0, n).Select(_ => 1 + random.NextDouble()).ToArray();
                    var below = above.Select(v => -v).ToArray();
                    above[at] = below[at] = first;
                    above[at + 1] = below[at + 1] = second;
                    features.Write(TestWindows.Of(above, below), output);
                    for (var c = 0; c < 2; c++)
                    {
                        var (mean, std, min, max, rms) = Reference(c == 0 ? above : below);
                        output.Skip(c * 5).Take(5).Should().Equal([(float)mean, (float)std, (float)min, (float)max, (float)rms], $"channel {c} of {n}, zeros at {at}");
                    }

                    output[2].Should().Be(0f, "the min of the channel above zero");
                    (output[2] == 0f).Should().BeTrue();
                    (output[8] == 0f).Should().BeTrue("the max of the channel below zero");
                    BitConverter.SingleToInt32Bits(output[0]).Should().Be(BitConverter.SingleToInt32Bits((float)Reference(above).Mean));
                    BitConverter.SingleToInt32Bits(output[6]).Should().Be(BitConverter.SingleToInt32Bits((float)Reference(below).Std));
                }
            }
        }
    }

    private static (double Mean, double Std, double Min, double Max, double Rms) Reference(double[] x)
    {
        var n = x.Length;
        var shift = x[0];
        double sum = 0, squares = 0, min = x[0], max = x[0];
        var i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vShift = new Vector<double>(shift);
            Vector<double> vSum = Vector<double>.Zero, vSquares = Vector<double>.Zero, vMin = new(x[0]), vMax = new(x[0]);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                var v = new Vector<double>(x, i);
                var d = v - vShift;
                vSum += d;
                vSquares += d * d;
                vMin = Vector.Min(vMin, v);
                vMax = Vector.Max(vMax, v);
            }

            sum = Vector.Sum(vSum);
            squares = Vector.Sum(vSquares);
            for (var k = 0; k < Vector<double>.Count; k++)
            {
                min = Math.Min(min, vMin[k]);
                max = Math.Max(max, vMax[k]);
            }
        }

        for (; i < n; i++)
        {
            var d = x[i] - shift;
            sum += d;
            squares += d * d;
            min = Math.Min(min, x[i]);
            max = Math.Max(max, x[i]);
        }

        var meanShifted = sum / n;
        var mean = shift + meanShifted;
        var m2 = Math.Max(0, (squares / n) - (meanShifted * meanShifted));
        return (mean, Math.Sqrt(m2), min, max, Math.Sqrt(m2 + (mean * mean)));
    }
}
