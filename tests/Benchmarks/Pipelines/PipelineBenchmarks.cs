using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Pipelines.Windowing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Pipelines;

/// <summary>
/// The sensor pipeline's own cost per window, model excluded (a model whose Run does nothing), and the whole
/// replay path on NAB machine temperature with the reference PCA baseline as the model.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int Hop = 16;
    private SensorPipeline _statistics = null!;
    private SensorPipeline _fft = null!;
    private Sample[] _samples = [];
    private int _next;
    private string _nab = string.Empty;
    private BaselineModel _baseline = null!;

    [GlobalSetup]
    public void Setup()
    {
        _statistics = Build([new FeatureOptions(), new FeatureOptions { Kind = FeatureKind.Standardize, Mean = [.. new double[14]], Std = [.. Enumerable.Repeat(1.0, 14)] }]);
        _fft = Build([new FeatureOptions { Kind = FeatureKind.FftBands, Bands = 16 }]);
        var generator = new SignalGenerator(new SimulatedSourceOptions { SampleRateHz = 100 }, 2);
        var values = new double[2];
        _samples = new Sample[2 * 100_000];
        for (var i = 0; i < 100_000; i++)
        {
            generator.Next(values);
            _samples[2 * i] = new Sample(i * 100_000L, 0, values[0]);
            _samples[(2 * i) + 1] = new Sample(i * 100_000L, 1, values[1]);
        }

        _nab = Path.Combine(FindRepository(), "..", "shared", "data", "nab", "machine_temperature_system_failure.csv");
        var d = 2;
        _baseline = new BaselineModel(d, [80, 2], [10, 1], 1, [0.7071, 0.7071], [-5], [5], [1, 0.1], 0.5, 100);
    }

    /// <summary>One window (16 new samples on 2 channels, window 64): statistics of both channels, standardise,
    /// no-op model, reconstruction scorer, alert logic, event writer.</summary>
    [Benchmark(OperationsPerInvoke = 1)]
    public int Window_statistics() => Feed(_statistics);

    /// <summary>The same with 16 FFT magnitude bands per channel (two 64-point FFTs per window).</summary>
    [Benchmark(OperationsPerInvoke = 1)]
    public int Window_fft_bands() => Feed(_fft);

    /// <summary>The whole NAB machine-temperature file (22,695 rows): replay as fast as possible → windows of
    /// 144/48 → mean, std → standardise → PCA baseline → scorer → alert → events (discarded).</summary>
    [Benchmark]
    public async Task<long> Replay_nab_machine_temperature()
    {
        var options = new PipelineOptions
        {
            Name = "nab",
            Sources = [new SourceOptions { Type = SourceType.Replay, Replay = new ReplaySourceOptions { Path = _nab, Speed = 0 } }],
            Window = new WindowOptions { Size = 144, Hop = 48, MaxGapSeconds = 21600 },
            Features = [new FeatureOptions { Statistics = [Statistic.Mean, Statistic.Std] }, new FeatureOptions { Kind = FeatureKind.Standardize, Mean = [.. _baseline.Mean], Std = [.. _baseline.Std] }],
        };
        var pipeline = SensorPipelineFactory.Create(options, "bench", new BaselineWindowModel(_baseline), _baseline.Threshold, new DiscardQueue());
        var runner = new SensorPipelineRunner("nab", SensorPipelineFactory.CreateSources(options, NullLoggerFactory.Instance), pipeline);
        await runner.RunAsync(CancellationToken.None);
        return pipeline.Counters.Windows;
    }

    private int Feed(SensorPipeline pipeline)
    {
        var windows = 0;
        for (var i = 0; i < 2 * Hop; i++)
        {
            if (_next == _samples.Length)
            {
                // Wrap around by shifting time forward, so timestamps keep increasing.
                for (var k = 0; k < _samples.Length; k++)
                {
                    _samples[k] = _samples[k] with { TimestampTicks = _samples[k].TimestampTicks + (100_000L * 100_000) };
                }

                _next = 0;
            }

            windows += pipeline.OnSample(_samples[_next++]);
        }

        return windows;
    }

    private static SensorPipeline Build(List<FeatureOptions> features)
    {
        var options = new PipelineOptions
        {
            Name = "bench",
            Sources = [new SourceOptions { Channels = [new SourceChannelOptions { Name = "a" }, new SourceChannelOptions { Name = "b" }] }],
            Window = new WindowOptions { Size = 64, Hop = Hop },
            Features = features,
            Alert = new AlertOptions { RaiseThreshold = 1, UpdateIntervalSeconds = 1, ScoreIntervalSeconds = 1 },
        };
        var featurePipeline = SensorPipelineFactory.CreateFeatures(options);
        return SensorPipelineFactory.Create(options, "bench", new NoOpModel(featurePipeline.Length), null, new DiscardQueue(), featurePipeline);
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeAgent.sln")))
            {
                return dir.FullName;
            }
        }

        return Environment.GetEnvironmentVariable("EDGEAGENT_REPO") ?? throw new InvalidOperationException("set EDGEAGENT_REPO");
    }

    private sealed class NoOpModel(int length) : IWindowModel
    {
        private readonly float[] _input = GC.AllocateArray<float>(length, pinned: true);
        private readonly float[] _output = GC.AllocateArray<float>(length, pinned: true);

        public Span<float> Input => _input;

        public ReadOnlySpan<float> Output => _output;

        public void Run()
        {
        }
    }
}
