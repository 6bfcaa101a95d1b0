using System.Globalization;
using System.Runtime.InteropServices;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Pipelines.Windowing;
using Microsoft.Extensions.Configuration;

namespace EdgeAgent.Benchmarks.Pipelines;

/// <summary>
/// The bundled demo pipeline (config/edgeagent.json, pipelines[0], with its bundled model) measured three ways in
/// interleaved rounds, so the ratio compares numbers taken moments apart on a noisy machine:
/// the whole window path with the real ONNX model, the same path with a model whose Run does nothing (the
/// pipeline's own overhead), and the model's Run alone. Every path is fed the same simulated samples. Times are
/// the thread's CPU time, not wall time, so that time the scheduler gave to other processes is not counted.
/// </summary>
public static partial class SensorOverheadProbe
{
    // Where the sample loop's sum goes, so that the loop is not optimised away.
    private static double s_sink;

    /// <param name="metrics">As with <c>metrics.enabled</c>: the agent's collector scrapes both pipelines every 10 ms on
    /// another thread, and each alert start and end is logged (formatted, then dropped) as the agent logs it.</param>
    public static int Run(string configPath, int rounds, bool metrics = false)
    {
        // Bound the way the agent binds it (the configuration binder), so the probe runs the shipped settings.
        var options = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(configPath)).Build().GetSection("pipelines:0").Get<PipelineOptions>()
            ?? throw new InvalidOperationException($"{configPath} has no pipelines[0]");
        using var runtime = InferenceRuntime.Create(new InferenceOptions());
        var modelPath = PipelineModelLoader.Resolve(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, "..", options.Model.Path));

        var realFeatures = SensorPipelineFactory.CreateFeatures(options);
        var binding = PipelineModelLoader.Load(runtime, options, realFeatures, modelPath);
        var alertLogger = new DiscardingLogger();
        var alerts = metrics ? new AlertLog(options.Name, alertLogger) : null;
        var real = SensorPipelineFactory.Create(options, "bench", binding.Model, binding.Threshold, new DiscardQueue(), realFeatures, alerts);
        var onnx = (OnnxWindowModel)binding.Model;

        // The same pipeline (standardisation included) around a model that does nothing.
        var noOpFeatures = SensorPipelineFactory.CreateFeatures(options);
        var noOpBinding = PipelineModelLoader.Load(runtime, options, noOpFeatures, modelPath);
        ((IDisposable)noOpBinding.Model).Dispose();
        var noOp = SensorPipelineFactory.Create(options, "bench", new NoOpModel(noOpFeatures.Length, onnx.Output.Length), binding.Threshold, new DiscardQueue(), noOpFeatures, alerts);
        using var scraper = metrics ? new MetricsScraper([real, noOp], TimeSpan.FromMilliseconds(10)) : null;

        var samples = Samples(options, 400_000);
        var windowsPerRound = 20_000;
        var real1 = new List<double>(rounds);
        var overhead = new List<double>(rounds);
        var run = new List<double>(rounds);
        var feeding = new List<double>(rounds);
        var position = new Position();
        Feed(real, samples, position, 5_000);
        Feed(noOp, samples, position, 5_000);
        for (var i = 0; i < 20_000; i++)
        {
            onnx.Run();
        }

        var samplesPerWindow = SamplesPerWindow(options);
        FeedOnly(samples, position, 5_000, samplesPerWindow);
        scraper?.Start();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < rounds; round++)
        {
            real1.Add(Feed(real, samples, position, windowsPerRound));
            overhead.Add(Feed(noOp, samples, position, windowsPerRound));
            var start = ThreadCpu.Nanoseconds();
            for (var i = 0; i < windowsPerRound; i++)
            {
                onnx.Run();
            }

            run.Add((ThreadCpu.Nanoseconds() - start) / 1000.0 / windowsPerRound);
            feeding.Add(FeedOnly(samples, position, windowsPerRound, samplesPerWindow));
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var logged = alertLogger.Lines;
        var suppressed = alerts?.Suppressed ?? 0;
        scraper?.Dispose();

        // Where the pipeline's own time goes: windowing alone, then windowing and features.
        var windower = SensorPipelineFactory.CreateWindower(options);
        var window = windower.CreateWindowData();
        var input = new float[noOpFeatures.Length];
        var windowing = new List<double>(rounds);
        var featuring = new List<double>(rounds);
        for (var round = 0; round < rounds; round++)
        {
            windowing.Add(Window(windower, window, samples, position, windowsPerRound, null, input));
            featuring.Add(Window(windower, window, samples, position, windowsPerRound, noOpFeatures, input));
        }

        // The features of one window over and over (the statistics and the standardisation, no windowing).
        var featuresAlone = new List<double>(rounds);
        for (var round = 0; round < rounds; round++)
        {
            var start = ThreadCpu.Nanoseconds();
            for (var i = 0; i < windowsPerRound; i++)
            {
                noOpFeatures.Write(window, input);
            }

            featuresAlone.Add((ThreadCpu.Nanoseconds() - start) / 1000.0 / windowsPerRound);
        }

        var ratios = overhead.Zip(run, (o, r) => o / r).ToList();

        // The sample loop is the probe's (a source hands the pipeline its samples); taken out round by round.
        var pipelineOnly = overhead.Zip(feeding, (o, f) => o - f).ToList();
        var ratiosWithoutLoop = pipelineOnly.Zip(run, (o, r) => o / r).ToList();
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"pipeline {options.Name}: window {options.Window.Size}/{options.Window.Hop}, {realFeatures.Length} features, model {modelPath}"));
        Console.WriteLine(string.Create(c, $"rounds {rounds} x {windowsPerRound} windows; managed bytes allocated over all timed rounds: {allocated}"));
        if (scraper is not null)
        {
            Console.WriteLine(string.Create(c, $"metrics on: {scraper.Scrapes} scrapes of {scraper.LastScrapeBytes} B on another thread during the timed rounds; alert lines logged {logged}, left out by the rate limit {suppressed}"));
        }

        Console.WriteLine(string.Create(c, $"whole window with the model   median {Median(real1):0.00} us  (rounds: {string.Join(", ", real1.Select(v => v.ToString("0.00", c)))})"));
        Console.WriteLine(string.Create(c, $"pipeline only (no-op model)   median {Median(overhead):0.00} us  (rounds: {string.Join(", ", overhead.Select(v => v.ToString("0.00", c)))})"));
        Console.WriteLine(string.Create(c, $"  of which windowing           median {Median(windowing):0.00} us; windowing + features {Median(featuring):0.00} us"));
        Console.WriteLine(string.Create(c, $"  features of one window alone median {Median(featuresAlone):0.000} us"));
        Console.WriteLine(string.Create(c, $"  the probe's own sample loop  median {Median(feeding):0.00} us (taking the window's samples from the array, in every figure above; measured in the interleaved rounds)"));
        Console.WriteLine(string.Create(c, $"model Run only                median {Median(run):0.00} us  (rounds: {string.Join(", ", run.Select(v => v.ToString("0.00", c)))})"));
        Console.WriteLine(string.Create(c, $"overhead / Run, per round     median {Median(ratios):0.000}  (rounds: {string.Join(", ", ratios.Select(v => v.ToString("0.000", c)))})"));
        Console.WriteLine(string.Create(c, $"pipeline only without the probe's sample loop  median {Median(pipelineOnly):0.00} us  (rounds: {string.Join(", ", pipelineOnly.Select(v => v.ToString("0.00", c)))})"));
        Console.WriteLine(string.Create(c, $"overhead without the probe's loop / Run, per round  median {Median(ratiosWithoutLoop):0.000}  (rounds: {string.Join(", ", ratiosWithoutLoop.Select(v => v.ToString("0.000", c)))})"));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Feeds samples until <paramref name="windows"/> windows completed; returns microseconds per window.</summary>
    private static double Feed(SensorPipeline pipeline, Sample[] samples, Position position, int windows)
    {
        var done = 0;
        var start = ThreadCpu.Nanoseconds();
        while (done < windows)
        {
            done += pipeline.OnSample(position.Take(samples));
        }

        return (ThreadCpu.Nanoseconds() - start) / 1000.0 / done;
    }

    private static double Window(Windower windower, WindowData window, Sample[] samples, Position position, int windows, FeaturePipeline? features, float[] input)
    {
        var done = 0;
        var start = ThreadCpu.Nanoseconds();
        while (done < windows)
        {
            windower.Push(position.Take(samples));
            while (windower.TryGetWindow(window))
            {
                features?.Write(window, input);
                done++;
            }
        }

        return (ThreadCpu.Nanoseconds() - start) / 1000.0 / done;
    }

    /// <summary>The probe's own part of every figure: taking a window's worth of samples (hop x channels) from the array.</summary>
    private static double FeedOnly(Sample[] samples, Position position, int windows, int samplesPerWindow)
    {
        double sink = 0;
        var start = ThreadCpu.Nanoseconds();
        for (var i = 0; i < windows * samplesPerWindow; i++)
        {
            sink += position.Take(samples).Value;
        }

        var elapsed = ThreadCpu.Nanoseconds() - start;
        s_sink = sink;
        return elapsed / 1000.0 / windows;
    }

    // Sample mode: a window every hop frames, each frame one sample per channel.
    private static int SamplesPerWindow(PipelineOptions options) => (int)options.Window.Hop * SensorPipelineFactory.Channels(options).Count;

    private static Sample[] Samples(PipelineOptions options, int count)
    {
        var simulated = options.Sources[0].Simulated;
        var channels = options.Sources[0].Channels.Count;
        var generator = new SignalGenerator(simulated, channels);
        var values = new double[channels];
        var samples = new Sample[count * channels];
        var step = (long)(TimeSpan.TicksPerSecond / simulated.SampleRateHz);
        for (var i = 0; i < count; i++)
        {
            generator.Next(values);
            for (var ch = 0; ch < channels; ch++)
            {
                samples[(i * channels) + ch] = new Sample(i * step, ch, values[ch]);
            }
        }

        return samples;
    }

    /// <summary>Where the rounds are in the sample array; wrapping around shifts time on, so timestamps keep increasing.</summary>
    private sealed class Position
    {
        private int _next;
        private long _offset;

        public Sample Take(Sample[] samples)
        {
            if (_next == samples.Length)
            {
                _next = 0;
                _offset += samples[^1].TimestampTicks - samples[0].TimestampTicks + TimeSpan.TicksPerSecond;
            }

            var sample = samples[_next++];
            return sample with { TimestampTicks = sample.TimestampTicks + _offset };
        }
    }

    /// <summary>Reconstructs its input perfectly (a copy of a few floats), so the scorer and the alert logic see
    /// what they see with a good model on normal data rather than a permanent alert.</summary>
    private sealed class NoOpModel(int inputs, int outputs) : IWindowModel
    {
        private readonly float[] _input = GC.AllocateArray<float>(inputs, pinned: true);
        private readonly float[] _output = GC.AllocateArray<float>(outputs, pinned: true);

        public Span<float> Input => _input;

        public ReadOnlySpan<float> Output => _output;

        public void Run() => _input.AsSpan(0, Math.Min(_input.Length, _output.Length)).CopyTo(_output);
    }
}
