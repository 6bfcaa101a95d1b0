using System.Text;
using System.Threading.Channels;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Pipelines.Windowing;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sensors;

public sealed class SensorPipelineTests
{
    private static readonly long Start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    /// <summary>The demo's shape: a 10 Hz sine with noise on two channels, a level shift injected at 600 s.</summary>
    private static PipelineOptions Demo() => new()
    {
        Name = "demo",
        Sources =
        [
            new SourceOptions
            {
                Channels = [new SourceChannelOptions { Name = "temperature", Min = -50, Max = 150 }, new SourceChannelOptions { Name = "pressure" }],
                Simulated = new SimulatedSourceOptions
                {
                    SampleRateHz = 10,
                    RealTime = false,
                    Signals = [new SignalOptions { Offset = 20, Amplitude = 1, PeriodSeconds = 60, Noise = 0.05 }, new SignalOptions { Offset = 1000, Amplitude = 2, PeriodSeconds = 30, Noise = 0.1 }],
                    Anomalies = [new InjectedAnomalyOptions { Kind = AnomalyKind.LevelShift, Channel = 0, AtSeconds = 600, DurationSeconds = 60, Magnitude = 4 }],
                },
            },
        ],
        Window = new WindowOptions { Size = 64, Hop = 16 },
        Features = [new FeatureOptions { Statistics = [Statistic.Mean, Statistic.Std, Statistic.Min, Statistic.Max] }],
        Alert = new AlertOptions { RaiseWindows = 2, ClearWindows = 3, CooldownSeconds = 30, UpdateIntervalSeconds = 0 },
    };

    /// <summary>Runs the real simulated source until <paramref name="seconds"/> of sample time have passed.</summary>
    private static async Task<List<Sample>> Simulate(PipelineOptions options, double seconds)
    {
        var source = (SimulatedSource)SensorPipelineFactory.CreateSources(options, NullLoggerFactory.Instance)[0];
        var channel = Channel.CreateBounded<Sample>(1024);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => source.RunAsync(channel.Writer, stop.Token));
        var samples = new List<Sample>();
        await foreach (var sample in channel.Reader.ReadAllAsync())
        {
            samples.Add(sample);
            if (samples.Count >= seconds * 10 * 2)
            {
                break;
            }
        }

        // Stopping may find the source blocked in a write (it throws) or between samples (it returns): both are a stop.
        await stop.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
        }

        return samples;
    }

    private static BaselineModel Calibrate(PipelineOptions options, IEnumerable<Sample> normal)
    {
        var windower = SensorPipelineFactory.CreateWindower(options);
        var features = SensorPipelineFactory.CreateFeatures(options);
        var window = windower.CreateWindowData();
        var rows = new List<float[]>();
        foreach (var sample in normal)
        {
            windower.Push(sample);
            while (windower.TryGetWindow(window))
            {
                var row = new float[features.Length];
                features.Write(window, row);
                rows.Add(row);
            }
        }

        return PcaCalibrator.Fit(rows, new CalibrationOptions { Quantile = 1, Margin = 2 });
    }

    [Fact]
    public async Task Simulated_level_shift_becomes_one_start_and_one_end_event_naming_the_feature()
    {
        var options = Demo();
        var samples = await Simulate(options, 900);
        var model = Calibrate(options, samples.Where(s => s.TimestampTicks < samples[0].TimestampTicks + (500 * TimeSpan.TicksPerSecond)));
        options.Features.Add(new FeatureOptions { Kind = FeatureKind.Standardize, Mean = [.. model.Mean], Std = [.. model.Std] });
        var queue = new RecordingQueue();
        var pipeline = SensorPipelineFactory.Create(options, "edge-1", new BaselineWindowModel(model), model.Threshold, queue);

        var channel = Channel.CreateUnbounded<Sample>();
        foreach (var sample in samples)
        {
            channel.Writer.TryWrite(sample);
        }

        channel.Writer.Complete();
        await pipeline.RunAsync(channel.Reader, CancellationToken.None);

        var t0 = new DateTime(samples[0].TimestampTicks, DateTimeKind.Utc);
        var events = queue.Events();
        events.Select(e => e.GetProperty("type").GetString()).Should().Equal("anomaly_start", "anomaly_end");
        var start = events[0];
        var raised = DateTime.Parse(start.GetProperty("ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
        (raised - t0).TotalSeconds.Should().BeInRange(600, 615, "the shift starts at 600 s; two 1.6 s hops confirm it");
        start.GetProperty("features")[0].GetProperty("name").GetString().Should().StartWith("temperature.");
        start.GetProperty("pipeline").GetString().Should().Be("demo");
        var ended = DateTime.Parse(events[1].GetProperty("ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
        (ended - t0).TotalSeconds.Should().BeInRange(660, 675);
        pipeline.Counters.OutOfRange.Should().Be(0);
        pipeline.Counters.Windows.Should().BeGreaterThan(500);
    }

    [Fact]
    public void Steady_state_allocates_nothing_per_sample_or_window_alerts_and_events_included()
    {
        var options = Demo();
        options.Sources[0].Simulated.Anomalies =
        [
            new InjectedAnomalyOptions { Kind = AnomalyKind.LevelShift, AtSeconds = 100, DurationSeconds = 20, Magnitude = 5, EverySeconds = 60 },
        ];
        options.Alert.UpdateIntervalSeconds = 2;
        options.Alert.ScoreIntervalSeconds = 5;
        options.Features.Add(new FeatureOptions { Kind = FeatureKind.Standardize, Mean = [20, 0.7, 18, 22, 1000, 1.4, 997, 1003], Std = [1, 0.1, 1, 1, 1, 0.2, 1, 1] });
        var features = SensorPipelineFactory.CreateFeatures(options);
        var model = new BaselineModel(8, new double[8], Enumerable.Repeat(1.0, 8).ToArray(), 1, [.. Enumerable.Repeat(Math.Sqrt(1 / 8.0), 8)], [-3], [3], new double[8], 1, 0);
        var queue = new CountingQueue();
        var pipeline = SensorPipelineFactory.Create(options, "edge-1", new BaselineWindowModel(model), 0.5, queue, features);
        var generator = new SignalGenerator(options.Sources[0].Simulated, 2);
        var values = new double[2];
        var n = 0L;
        void Run(int count)
        {
            for (var i = 0; i < count; i++, n++)
            {
                generator.Next(values);
                pipeline.OnSample(new Sample(Start + (n * TimeSpan.TicksPerSecond / 10), 0, values[0]));
                pipeline.OnSample(new Sample(Start + (n * TimeSpan.TicksPerSecond / 10), 1, values[1]));
            }
        }

        Run(2000);
        var windows = pipeline.Counters.Windows;
        var events = queue.Count;
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(20_000);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        (pipeline.Counters.Windows - windows).Should().BeGreaterThan(1000);
        (queue.Count - events).Should().BeGreaterThan(50, "alerts started, updated, ended and scores were published meanwhile");
    }

    [Fact]
    public void A_model_whose_input_does_not_fit_the_features_is_rejected_naming_both_shapes()
    {
        var options = Demo();
        var model = new BaselineModel(3, new double[3], [1, 1, 1], 1, [1, 0, 0], [-1], [1], new double[3], 1, 0);
        FluentActions.Invoking(() => SensorPipelineFactory.Create(options, "d", new BaselineWindowModel(model), 1, new RecordingQueue()))
            .Should().Throw<ArgumentException>()
            .WithMessage("the model takes 3 input values but the feature pipeline writes 8 (temperature.mean, temperature.std, temperature.min, temperature.max, pressure.mean, pressure.std, pressure.min, pressure.max)");
    }

    [Fact]
    public async Task A_model_run_that_throws_is_counted_its_window_is_not_published_and_the_loop_goes_on()
    {
        var options = Demo();
        var samples = await Simulate(options, 900);
        var baseline = Calibrate(options, samples.Where(s => s.TimestampTicks < samples[0].TimestampTicks + (500 * TimeSpan.TicksPerSecond)));
        options.Features.Add(new FeatureOptions { Kind = FeatureKind.Standardize, Mean = [.. baseline.Mean], Std = [.. baseline.Std] });
        var model = new FailingModel(new BaselineWindowModel(baseline));
        var queue = new RecordingQueue();
        var pipeline = SensorPipelineFactory.Create(options, "edge-1", model, baseline.Threshold, queue);
        var runner = new SensorPipelineRunner("demo", [], pipeline);

        // The model fails for the whole injected level shift (600–660 s): nothing may be raised from it.
        foreach (var sample in samples)
        {
            model.Failing = sample.TimestampTicks - samples[0].TimestampTicks is >= 590 * TimeSpan.TicksPerSecond and < 680 * TimeSpan.TicksPerSecond;
            pipeline.OnSample(sample);
        }

        pipeline.Slot.ModelErrors.Should().BeGreaterThan(30).And.Be(model.Failures);
        pipeline.Slot.LastModelError.Should().Be("simulated inference failure");
        pipeline.Scored.Should().Be(pipeline.Counters.Windows, "every window went to the model once, failed or not");
        queue.Events().Should().BeEmpty("the windows of the anomaly failed in the model and are not published");
        runner.Check(System.Diagnostics.Stopwatch.GetTimestamp()).State.Should().Be(EdgeAgent.Pipelines.Health.HealthState.Degraded);
        runner.Check(System.Diagnostics.Stopwatch.GetTimestamp() + (120 * System.Diagnostics.Stopwatch.Frequency)).State.Should().Be(EdgeAgent.Pipelines.Health.HealthState.Healthy);
    }

    private sealed class FailingModel(IWindowModel inner) : IWindowModel
    {
        public bool Failing { get; set; }

        public long Failures { get; private set; }

        public Span<float> Input => inner.Input;

        public ReadOnlySpan<float> Output => inner.Output;

        public void Run()
        {
            if (Failing)
            {
                Failures++;
                throw new InvalidOperationException("simulated inference failure");
            }

            inner.Run();
        }
    }

    private sealed class CountingQueue : IOutboundQueue
    {
        public int Count { get; private set; }

        public void Enqueue(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, MessageOptions options)
        {
            if (relativeTopic.SequenceEqual("alerts/demo"u8) || relativeTopic.SequenceEqual("alerts/demo/attributes"u8))
            {
                Count++;
                return;
            }

            if (!relativeTopic.SequenceEqual("events/demo"u8) || payload.Length < 20)
            {
                throw new InvalidOperationException(Encoding.UTF8.GetString(payload));
            }

            Count++;
        }
    }
}
