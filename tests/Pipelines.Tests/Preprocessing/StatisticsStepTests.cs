using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Windowing;
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
            features.Write(Window(values), output);

            var mean = values.Average();
            var variance = values.Select(v => (v - mean) * (v - mean)).Average();
            output[0].Should().BeApproximately((float)mean, 1e-4f, $"mean of {n}");
            output[1].Should().BeApproximately((float)Math.Sqrt(variance), 1e-4f, $"std of {n}");
            output[2].Should().Be((float)values.Min(), $"min of {n}");
            output[3].Should().Be((float)values.Max(), $"max of {n}");
            output[4].Should().BeApproximately((float)Math.Sqrt(values.Select(v => v * v).Average()), 1e-4f, $"rms of {n}");
        }
    }

    private static WindowData Window(double[] values)
    {
        var windower = new Windower(new WindowOptions { Size = values.Length, Hop = values.Length }, [ChannelRange.Any]);
        var window = windower.CreateWindowData();
        var made = 0;
        for (var i = 0; i < values.Length; i++)
        {
            windower.Push(new Sample(1000 + i, 0, values[i]));
            while (windower.TryGetWindow(window))
            {
                made++;
            }
        }

        made.Should().Be(1);
        return window;
    }
}
