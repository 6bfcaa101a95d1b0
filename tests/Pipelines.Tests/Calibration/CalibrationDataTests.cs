using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Pipelines.Windowing;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Calibration;

public sealed class CalibrationDataTests
{
    [Fact]
    public async Task Collects_the_unstandardised_features_of_windows_within_the_taken_share()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 100).Select(i => $"{new DateTime(2024, 1, 1).AddMinutes(i):yyyy-MM-dd HH:mm:ss},{i}");
        var path = dir.Write("normal.csv", "timestamp,value\n" + string.Join('\n', lines) + "\n");
        var options = new PipelineOptions
        {
            Name = "p",
            Sources = [new SourceOptions { Type = SourceType.Replay, Replay = new ReplaySourceOptions { Path = path, Speed = 0 } }],
            Window = new WindowOptions { Size = 10, Hop = 10, MaxGapSeconds = 600 },
            Features = [new FeatureOptions { Statistics = [Statistic.Mean, Statistic.Max] }, new FeatureOptions { Kind = FeatureKind.Standardize }],
        };
        var progress = new List<long>();
        var set = await CalibrationData.CollectAsync(options, NullLoggerFactory.Instance, 0.5, new Progress(progress));
        set.Samples.Should().Be(100);
        set.FeatureNames.Should().Equal("value.mean", "value.max");
        set.Rows.Select(r => r[0]).Should().Equal(4.5f, 14.5f, 24.5f, 34.5f, 44.5f);
        new DateTime(set.CutoffTicks).Should().Be(new DateTime(2024, 1, 1).AddMinutes(50));
        progress.Should().EndWith(100);
        await FluentActions.Awaiting(() => CalibrationData.CollectAsync(options, NullLoggerFactory.Instance, 0)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    private sealed class Progress(List<long> seen) : IProgress<long>
    {
        public void Report(long value) => seen.Add(value);
    }
}
