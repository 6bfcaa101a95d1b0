using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Preprocessing;

public sealed class FeaturePipelineTests
{
    [Fact]
    public void Statistics_of_a_known_window()
    {
        var features = FeaturePipeline.Create([new FeatureOptions
        {
            Statistics = [Statistic.Mean, Statistic.Std, Statistic.Min, Statistic.Max, Statistic.Rms, Statistic.PeakToPeak, Statistic.Kurtosis, Statistic.Slope, Statistic.Last],
        }], ["x"], 4);
        var output = new float[features.Length];
        features.Write(TestWindows.Of([1, 2, 3, 6]), output);

        // mean 3; deviations -2,-1,0,3: m2 = 14/4 = 3.5, m4 = (16+1+0+81)/4 = 24.5, kurtosis 24.5/12.25 - 3 = -1.
        output.Should().Equal(3f, (float)Math.Sqrt(3.5), 1f, 6f, (float)Math.Sqrt(12.5), 5f, -1f, 1.6f, 6f);
        features.Names.Should().Equal("x.mean", "x.std", "x.min", "x.max", "x.rms", "x.peakToPeak", "x.kurtosis", "x.slope", "x.last");
    }

    [Fact]
    public void Steps_write_in_order_per_selected_channel_and_standardize_applies_to_all_before_it()
    {
        var features = FeaturePipeline.Create(
        [
            new FeatureOptions { Kind = FeatureKind.Raw, Channels = ["b"] },
            new FeatureOptions { Statistics = [Statistic.Mean] },
            new FeatureOptions { Kind = FeatureKind.Standardize, Mean = [0, 0, 0, 0, 10, 20], Std = [1, 1, 2, 2, 1, 10] },
        ], ["a", "b"], 4);
        features.Length.Should().Be(6);
        features.Names.Should().Equal("b[0]", "b[1]", "b[2]", "b[3]", "a.mean", "b.mean");
        var output = new float[6];
        features.Write(TestWindows.Of([10, 10, 10, 10], [1, 2, 3, 4]), output);
        output.Should().Equal(1, 2, 1.5f, 2, 0, -1.75f);
    }

    [Fact]
    public void Fft_bands_put_a_sine_in_its_band()
    {
        var n = 64;
        var sine = Enumerable.Range(0, n).Select(i => 5 + Math.Sin(2 * Math.PI * 12 * i / n)).ToArray();
        var features = FeaturePipeline.Create([new FeatureOptions { Kind = FeatureKind.FftBands, Bands = 4 }], ["v"], n);
        var output = new float[4];
        features.Write(TestWindows.Of(sine), output);

        // Bins 1..32 in four bands of 8: bin 12 is in band 1; the mean (5) is removed.
        Array.IndexOf(output, output.Max()).Should().Be(1);
        output[1].Should().BeGreaterThan(5 * output[3]);
    }

    [Fact]
    public void Writing_features_into_the_callers_span_allocates_nothing()
    {
        var features = FeaturePipeline.Create(
        [
            new FeatureOptions(),
            new FeatureOptions { Kind = FeatureKind.FftBands, Bands = 8 },
            new FeatureOptions { Kind = FeatureKind.Raw },
        ], ["a", "b"], 128);
        var window = TestWindows.Of([.. Enumerable.Range(0, 128).Select(i => Math.Sin(i))], [.. Enumerable.Range(0, 128).Select(i => (double)i)]);
        var input = GC.AllocateArray<float>(features.Length, pinned: true);
        features.Write(window, input);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            features.Write(window, input);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Standardisation_that_does_not_fit_the_features_is_rejected_with_both_counts()
    {
        FluentActions.Invoking(() => FeaturePipeline.Create([new FeatureOptions(), new FeatureOptions { Kind = FeatureKind.Standardize, Mean = [1], Std = [1] }], ["a"], 8))
            .Should().Throw<ArgumentException>().WithMessage("standardize has 1 mean/std values but the steps before it write 7 features");
    }
}
