using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Pipelines.Windowing;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sensors;

/// <summary>A candidate scoring live windows beside the active model inside the real pipeline loop.</summary>
public sealed class ShadowModelTests
{
    private static readonly long Start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly double[] ActiveMean = [20, 0.7, 18, 22, 1000, 1.4, 997, 1003];
    private static readonly double[] ActiveStd = [1, 0.1, 1, 1, 1, 0.2, 1, 1];

    [Fact]
    public void Shadow_scoring_allocates_nothing_per_window_with_its_own_standardisation()
    {
        var (options, features, pipeline, queue) = Build();
        queue.Record = false;
        var shadow = Shadow(features, Baseline(), Manifest([19, 0.6, 17, 23, 990, 1.5, 990, 1010], [2, 0.2, 2, 2, 5, 0.4, 5, 5]));
        pipeline.Slot.AttachShadow(shadow).Should().BeTrue();
        var feed = Feeder(options, pipeline);

        feed(2000);
        var windows = shadow.Statistics.Windows;
        var before = GC.GetAllocatedBytesForCurrentThread();
        feed(20_000);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        (shadow.Statistics.Windows - windows).Should().BeGreaterThan(1000);
        queue.Count.Should().BeGreaterThan(50, "alerts and scores were published meanwhile");
        shadow.CandidateRunTimes.Count.Should().Be(shadow.Statistics.Windows);
        shadow.ActiveRunTimes.Count.Should().Be(shadow.Statistics.Windows);
    }

    [Fact]
    public void The_candidate_sees_the_window_standardised_as_its_manifest_says_and_changes_nothing_that_is_published()
    {
        double[] candidateMean = [19, 0.6, 17, 23, 990, 1.5, 990, 1010];
        double[] candidateStd = [2, 0.2, 2, 2, 5, 0.4, 5, 5];
        var (options, features, pipeline, queue) = Build();
        var candidate = new LastInputModel(Baseline());
        var shadow = Shadow(features, candidate, Manifest(candidateMean, candidateStd));
        pipeline.Slot.AttachShadow(shadow);
        // The reference: the same stream through a pipeline standardising with the candidate's own mean/std.
        var (_, _, reference, _) = Build(candidateMean, candidateStd);
        var (_, _, alone, aloneQueue) = Build();
        var feedShadowed = Feeder(options, pipeline);
        var feedReference = Feeder(options, reference);
        var feedAlone = Feeder(options, alone);

        feedShadowed(5000);
        feedReference(5000);
        feedAlone(5000);

        shadow.Statistics.Windows.Should().Be(pipeline.Scored);
        candidate.LastInput.Should().Equal(reference.Model.Input.ToArray(), (a, b) => Math.Abs(a - b) < 1e-3);
        queue.Payloads.Should().Equal(aloneQueue.Payloads, "the shadow publishes nothing and changes nothing the active model publishes");
        queue.Payloads.Should().NotBeEmpty();
    }

    [Fact]
    public void A_candidate_that_throws_is_counted_and_never_stops_the_loop()
    {
        var (options, features, pipeline, _) = Build();
        var shadow = Shadow(features, new ThrowingModel(Baseline(), every: 3), null);
        pipeline.Slot.AttachShadow(shadow);

        Feeder(options, pipeline)(3000);

        var statistics = shadow.Statistics;
        statistics.Windows.Should().Be(pipeline.Scored);
        statistics.Errors.Should().Be(statistics.Windows / 3);
        statistics.FirstError.Should().Be("candidate failure 3");
        pipeline.Slot.ModelErrors.Should().Be(0, "the active model never failed");
        pipeline.Counters.Windows.Should().Be(pipeline.Scored);
    }

    [Fact]
    public void Detaching_while_the_loop_is_idle_returns_at_once_and_the_candidate_is_not_run_again()
    {
        var (options, features, pipeline, _) = Build();
        var candidate = new LastInputModel(Baseline());
        var shadow = Shadow(features, candidate, null);
        pipeline.Slot.AttachShadow(shadow).Should().BeTrue();
        pipeline.Slot.AttachShadow(Shadow(features, Baseline(), null)).Should().BeFalse("one shadow at a time");
        var feed = Feeder(options, pipeline);
        feed(500);
        var runs = candidate.Runs;
        runs.Should().BeGreaterThan(0);

        pipeline.Slot.DetachShadow(shadow);
        pipeline.Slot.DetachShadow(shadow);
        feed(500);

        candidate.Runs.Should().Be(runs);
        pipeline.Slot.AttachShadow(shadow).Should().BeTrue("the slot is free again");
    }

    [Fact]
    public void Run_time_percentiles_are_within_the_bucket_resolution()
    {
        var histogram = new RunTimeHistogram();
        for (var i = 1; i <= 1000; i++)
        {
            histogram.Add(i * 100);
        }

        histogram.Add(50_000_000);
        histogram.Count.Should().Be(1001);
        histogram.Percentile(0.5).Should().BeApproximately(50_000, 50_000 * 0.07);
        histogram.Percentile(0.99).Should().BeApproximately(99_000, 99_000 * 0.07);
        new RunTimeHistogram().Percentile(0.5).Should().Be(0);
    }

    private static (PipelineOptions Options, FeaturePipeline Features, SensorPipeline Pipeline, RecordingQueue Queue) Build(double[]? mean = null, double[]? std = null)
    {
        var options = new PipelineOptions
        {
            Name = "demo",
            Sources =
            [
                new SourceOptions
                {
                    Channels = [new SourceChannelOptions { Name = "temperature" }, new SourceChannelOptions { Name = "pressure" }],
                    Simulated = new SimulatedSourceOptions
                    {
                        SampleRateHz = 10,
                        Signals = [new SignalOptions { Offset = 20, Amplitude = 1, PeriodSeconds = 60, Noise = 0.05 }, new SignalOptions { Offset = 1000, Amplitude = 2, PeriodSeconds = 30, Noise = 0.1 }],
                        Anomalies = [new InjectedAnomalyOptions { Kind = AnomalyKind.LevelShift, AtSeconds = 100, DurationSeconds = 20, Magnitude = 5, EverySeconds = 60 }],
                    },
                },
            ],
            Window = new WindowOptions { Size = 64, Hop = 16 },
            Features =
            [
                new FeatureOptions { Statistics = [Statistic.Mean, Statistic.Std, Statistic.Min, Statistic.Max] },
                new FeatureOptions { Kind = FeatureKind.Standardize, Mean = [.. mean ?? ActiveMean], Std = [.. std ?? ActiveStd] },
            ],
            Alert = new AlertOptions { RaiseWindows = 2, ClearWindows = 3, CooldownSeconds = 30, UpdateIntervalSeconds = 2, ScoreIntervalSeconds = 5 },
        };
        var features = SensorPipelineFactory.CreateFeatures(options);
        var queue = new RecordingQueue();
        return (options, features, SensorPipelineFactory.Create(options, "edge-1", Baseline(), 0.5, queue, features), queue);
    }

    private static BaselineWindowModel Baseline() =>
        new(new BaselineModel(8, new double[8], [.. Enumerable.Repeat(1.0, 8)], 1, [.. Enumerable.Repeat(Math.Sqrt(1 / 8.0), 8)], [-3], [3], new double[8], 0.5, 0));

    private static ServingManifest Manifest(double[] mean, double[] std) => new("demo", "2.0.0", 0.5, mean, std);

    /// <summary>A shadow as the OTA deployment builds it: the sensor kind's, with a reconstruction scorer of its own, alerting at 0.5.</summary>
    private static ModelShadow<IWindowModel> Shadow(FeaturePipeline features, IWindowModel candidate, ServingManifest? manifest) =>
        new SensorModelKind(features).CreateShadow(candidate, 0.5, manifest, new PipelineOptions());

    /// <summary>Feeds the same deterministic two-channel stream to a pipeline, continuing where the last call stopped.</summary>
    private static Action<int> Feeder(PipelineOptions options, SensorPipeline pipeline)
    {
        var generator = new SignalGenerator(options.Sources[0].Simulated, 2);
        var values = new double[2];
        var n = 0L;
        return count =>
        {
            for (var i = 0; i < count; i++, n++)
            {
                generator.Next(values);
                pipeline.OnSample(new Sample(Start + (n * TimeSpan.TicksPerSecond / 10), 0, values[0]));
                pipeline.OnSample(new Sample(Start + (n * TimeSpan.TicksPerSecond / 10), 1, values[1]));
            }
        };
    }

    private sealed class LastInputModel(IWindowModel inner) : IWindowModel
    {
        public float[] LastInput { get; private set; } = [];

        public long Runs { get; private set; }

        public Span<float> Input => inner.Input;

        public ReadOnlySpan<float> Output => inner.Output;

        public void Run()
        {
            LastInput = inner.Input.ToArray();
            Runs++;
            inner.Run();
        }
    }

    private sealed class ThrowingModel(IWindowModel inner, int every) : IWindowModel
    {
        private long _runs;

        public Span<float> Input => inner.Input;

        public ReadOnlySpan<float> Output => inner.Output;

        public void Run()
        {
            if (++_runs % every == 0)
            {
                throw new InvalidOperationException($"candidate failure {_runs}");
            }

            inner.Run();
        }
    }

    private sealed class RecordingQueue : IOutboundQueue
    {
        public List<string> Payloads { get; } = [];

        public bool Record { get; set; } = true;

        public int Count { get; private set; }

        public void Enqueue(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, MessageOptions options)
        {
            Count++;
            if (Record)
            {
                // Alert ids are random: everything else must be identical.
                Payloads.Add(System.Text.RegularExpressions.Regex.Replace(System.Text.Encoding.UTF8.GetString(payload), "\"(id|alertId)\":\"[0-9a-f-]+\"", "\"$1\":\"…\""));
            }
        }
    }
}
