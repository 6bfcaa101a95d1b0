using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Pipelines.Windowing;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sensors;

public sealed class SensorPipelineRunnerTests
{
    private static (SensorPipelineRunner Runner, RecordingQueue Queue) Build(PipelineOptions options)
    {
        var features = SensorPipelineFactory.CreateFeatures(options);
        var d = features.Length;
        var identity = new BaselineModel(d, new double[d], [.. Enumerable.Repeat(1.0, d)], 1, [1, .. new double[d - 1]], [-1e9], [1e9], new double[d], 1, 0);
        var queue = new RecordingQueue();
        var pipeline = SensorPipelineFactory.Create(options, "edge", new BaselineWindowModel(identity), null, queue, features);
        var sources = SensorPipelineFactory.CreateSources(options, NullLoggerFactory.Instance);
        return (new SensorPipelineRunner(options.Name, sources, pipeline, new Heartbeat(options.Name, TimeSpan.FromSeconds(30))), queue);
    }

    [Fact]
    public async Task A_replay_runs_to_its_end_through_the_whole_pipeline()
    {
        // Raw features reconstructed by an identity-on-the-first-feature model: the error is the other samples'
        // energy, so a threshold on it alerts on the big jump of art_daily_jumpsup.
        var options = new PipelineOptions
        {
            Name = "replay",
            Sources = [new SourceOptions { Type = SourceType.Replay, Replay = new ReplaySourceOptions { Path = Path.Combine(RepositoryPaths.SharedData, "nab", "art_daily_jumpsup.csv"), Speed = 0 } }],
            Window = new WindowOptions { Size = 12, Hop = 12, MaxGapSeconds = 3600 },
            Features = [new Pipelines.Preprocessing.FeatureOptions { Kind = Pipelines.Preprocessing.FeatureKind.Raw }],
            Alert = new AlertOptions { RaiseThreshold = 10_000, RaiseWindows = 1 },
        };
        var (runner, queue) = Build(options);
        await runner.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        runner.Pipeline.Counters.Windows.Should().Be(4032 / 12);
        runner.Check(0).State.Should().Be(HealthState.Healthy);
        queue.Events("anomaly_start").Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_source_failing_for_good_fails_the_run_with_its_message()
    {
        using var dir = new TempDirectory();
        var options = new PipelineOptions
        {
            Name = "bad",
            Sources = [new SourceOptions { Type = SourceType.Replay, Replay = new ReplaySourceOptions { Path = dir.Write("x.csv", "when,what\n1,2\n") } }],
            Alert = new AlertOptions { RaiseThreshold = 1 },
        };
        var (runner, _) = Build(options);
        await FluentActions.Awaiting(() => runner.RunAsync(CancellationToken.None)).Should().ThrowAsync<EdgeAgent.Pipelines.Configuration.InvalidInputFileException>().WithMessage("*no column 'value', 'timestamp'*");
    }

    [Fact]
    public async Task Cancellation_stops_live_sources_and_a_lost_device_shows_as_degraded()
    {
        using var root = new TempDirectory();
        var options = new PipelineOptions
        {
            Name = "live",
            Sources =
            [
                new SourceOptions { Simulated = new SimulatedSourceOptions { SampleRateHz = 50 } },
                new SourceOptions { Type = SourceType.Thermal, PollIntervalMilliseconds = 20, Sysfs = new SysfsSourceOptions { Root = root.Path }, Channels = [new SourceChannelOptions { Name = "soc" }] },
            ],
            Window = new WindowOptions { Size = 8, Hop = 4, ToleranceSeconds = 5 },
            Alert = new AlertOptions { RaiseThreshold = 1e9 },
        };
        var (runner, _) = Build(options);
        using var cancel = new CancellationTokenSource();
        var run = runner.RunAsync(cancel.Token);
        await SourceRunner.Until(() => runner.Check(0).State == HealthState.Degraded, "the missing thermal zone reported");
        runner.Check(0).Summary.Should().Contain("live/thermal1: device unavailable");

        root.Write("class/thermal/thermal_zone0/temp", "40000\n");
        await SourceRunner.Until(() => runner.Pipeline.Counters.Windows > 2, "windows once both channels flow", 30);
        runner.Check(0).State.Should().Be(HealthState.Healthy);
        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();
    }
}
