using BenchmarkDotNet.Attributes;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Benchmarks.Ota;

/// <summary>
/// The hot-loop cost of an OTA shadow period: one window of the demo pipeline (16 new samples on 2 channels, window
/// 64, 10 statistics, standardise, the bundled int8 demo model in ORT, reconstruction scorer, alert logic, events)
/// alone, and with a candidate (the same network under another standardisation, so the features are re-mapped)
/// scoring the same window beside it. Both pipelines run in the same process, side by side.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ShadowBenchmarks
{
    private const int Hop = 16;
    private InferenceRuntime? _runtime;
    private SensorPipeline _alone = null!;
    private SensorPipeline _shadowed = null!;
    private SensorPipeline _second = null!;
    private int _nextSecond;
    private Sample[] _samples = [];
    private int _nextAlone;
    private int _nextShadowed;

    [GlobalSetup]
    public void Setup()
    {
        _runtime = InferenceRuntime.Create(new InferenceOptions { IntraOpThreads = 1 });
        var manifest = SensorModelManifest.From(ModelManifest.Parse(File.ReadAllBytes(RepositoryPaths.File("models", "demo", "model.json"))));
        _alone = Build(manifest, out _);
        _second = Build(manifest, out _);
        _shadowed = Build(manifest, out var features);
        var candidate = manifest with { Mean = [.. manifest.Mean.Select(m => m * 1.01)], Std = [.. manifest.Std.Select(s => s * 1.1)] };
        var shadow = new SensorModelKind(features).CreateShadow(Load(), manifest.Threshold, new ServingManifest(candidate.Name, candidate.Version, candidate.Threshold, candidate.Mean, candidate.Std), new PipelineOptions());
        if (!_shadowed.Slot.AttachShadow(shadow))
        {
            throw new InvalidOperationException("shadow not attached");
        }

        var generator = new SignalGenerator(new SimulatedSourceOptions
        {
            SampleRateHz = 10,
            Signals = [new SignalOptions { Offset = 60, Amplitude = 2, PeriodSeconds = 120, Noise = 0.1 }, new SignalOptions { Offset = 4, Amplitude = 0.5, PeriodSeconds = 20, Noise = 0.05 }],
        }, 2);
        var values = new double[2];
        _samples = new Sample[2 * 100_000];
        for (var i = 0; i < 100_000; i++)
        {
            generator.Next(values);
            _samples[2 * i] = new Sample(i * 1_000_000L, 0, values[0]);
            _samples[(2 * i) + 1] = new Sample(i * 1_000_000L, 1, values[1]);
        }
    }

    /// <summary>One window, the active model only.</summary>
    [Benchmark(Baseline = true)]
    public int Window_active_only() => Feed(_alone, ref _nextAlone);

    /// <summary>One window, then the shadow candidate on the same features (copied, re-standardised, run, scored, counted).</summary>
    [Benchmark]
    public int Window_with_shadow() => Feed(_shadowed, ref _nextShadowed);

    /// <summary>Reference: two whole pipelines, each with its own session, one window each.</summary>
    [Benchmark]
    public int Window_two_pipelines() => Feed(_alone, ref _nextAlone) + Feed(_second, ref _nextSecond);

    [GlobalCleanup]
    public void Cleanup() => _runtime?.Dispose();

    private int Feed(SensorPipeline pipeline, ref int next)
    {
        var windows = 0;
        for (var i = 0; i < 2 * Hop; i++)
        {
            if (next == _samples.Length)
            {
                // Wrap around by shifting time forward, so timestamps keep increasing.
                for (var k = 0; k < _samples.Length; k++)
                {
                    _samples[k] = _samples[k] with { TimestampTicks = _samples[k].TimestampTicks + (100_000L * 1_000_000) };
                }

                _nextAlone = _nextShadowed = _nextSecond = next = 0;
            }

            windows += pipeline.OnSample(_samples[next++]);
        }

        return windows;
    }

    private OnnxWindowModel Load() => new(_runtime!.LoadModel(RepositoryPaths.File("models", "demo", "model.onnx")), string.Empty, string.Empty);

    private SensorPipeline Build(SensorModelManifest manifest, out FeaturePipeline features)
    {
        var options = new PipelineOptions
        {
            Name = "bench",
            Sources = [new SourceOptions { Channels = [new SourceChannelOptions { Name = "temperature" }, new SourceChannelOptions { Name = "vibration" }] }],
            Window = new WindowOptions { Size = 64, Hop = Hop },
            Features =
            [
                new FeatureOptions { Statistics = [Statistic.Mean, Statistic.Std, Statistic.Min, Statistic.Max, Statistic.Rms] },
                new FeatureOptions { Kind = FeatureKind.Standardize, Mean = [.. manifest.Mean], Std = [.. manifest.Std] },
            ],
            Alert = new AlertOptions { UpdateIntervalSeconds = 1, ScoreIntervalSeconds = 1 },
        };
        features = SensorPipelineFactory.CreateFeatures(options);
        return SensorPipelineFactory.Create(options, "bench", Load(), manifest.Threshold, new DiscardQueue(), features);
    }
}
