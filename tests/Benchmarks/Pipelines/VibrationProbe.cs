using System.Buffers.Binary;
using System.Globalization;
using System.Threading.Channels;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Sources.Devices.Vibration;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Benchmarks.Pipelines;

/// <summary>
/// The vibration path end to end on one thread: a simulated 3-axis accelerometer at 25.6 kHz delivered as FIFO
/// bursts of raw bytes (512 frames, 20 ms), decoded into samples, windowed (4,096 samples, hop 2,048: a window every
/// 80 ms), FFT band features (16 bands per axis), an ONNX model (48 -> 48 MatMul) and reconstruction scoring with the
/// alert state machine. Reports the thread's CPU time per second of signal (the share of one core the path needs),
/// its inverse (how much faster than real time), and managed bytes allocated per window in steady state.
/// </summary>
public static partial class VibrationProbe
{
    private const double SampleRateHz = 25_600;
    private const int BurstFrames = 512;
    private const int Bands = 16;
    private const double CountsPerG = 32768 / 2.0; // ±2 g full scale

    public static int Run(int rounds, double secondsPerRound)
    {
        var options = new PipelineOptions
        {
            Name = "vibration",
            Sources =
            [
                new SourceOptions
                {
                    Channels = [new SourceChannelOptions { Name = "accelX", Unit = "g" }, new SourceChannelOptions { Name = "accelY", Unit = "g" }, new SourceChannelOptions { Name = "accelZ", Unit = "g" }],
                },
            ],
            Window = new WindowOptions { Unit = WindowUnit.Samples, Size = 4096, Hop = 2048 },
            Features = [new FeatureOptions { Kind = FeatureKind.FftBands, Bands = Bands }],
            Alert = new EdgeAgent.Pipelines.Alerts.AlertOptions { RaiseThreshold = 1.0 },
        };
        using var dir = new TempDirectory("vibration");
        var features = SensorPipelineFactory.CreateFeatures(options);
        var modelPath = WriteModel(dir.Combine("model.onnx"), features.Length);
        using var runtime = InferenceRuntime.Create(new InferenceOptions());
        var binding = PipelineModelLoader.Load(runtime, options, features, modelPath);
        var pipeline = SensorPipelineFactory.Create(options, "bench", binding.Model, 1e9, new DiscardQueue(), features);

        var fifo = Stream(seconds: 10);
        var decoder = new FifoBurstDecoder(0, SampleRateHz, 1 / CountsPerG, DateTime.UtcNow.Ticks);
        var samples = new Sample[BurstFrames * 3];
        var burstBytes = BurstFrames * FifoBurstDecoder.FrameBytes;
        var bursts = (int)Math.Round(secondsPerRound * SampleRateHz / BurstFrames);
        var position = 0;

        // Warm-up: tiered JIT, the model's first runs, the windower's buffers filled.
        Feed(pipeline, decoder, fifo, samples, burstBytes, bursts, ref position);
        Feed(pipeline, decoder, fifo, samples, burstBytes, bursts, ref position);

        var cpu = new List<double>(rounds);
        var perWindow = new List<double>(rounds);
        long windows = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var allocatedPerRound = new long[rounds];
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = ThreadCpu.Nanoseconds();
            var done = Feed(pipeline, decoder, fifo, samples, burstBytes, bursts, ref position);
            var elapsed = ThreadCpu.Nanoseconds() - start;
            windows += done;
            cpu.Add(elapsed / 1e9 / (bursts * BurstFrames / SampleRateHz));
            perWindow.Add(elapsed / 1000.0 / done);
            allocatedPerRound[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        // The same through the bounded channel a source hands its samples to (the runner's capacity).
        var channel = Channel.CreateBounded<Sample>(new BoundedChannelOptions(8192) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        Feed(pipeline, decoder, fifo, samples, burstBytes, bursts, ref position, channel);
        var viaChannel = new List<double>(rounds);
        var channelAllocated = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < rounds; round++)
        {
            var start = ThreadCpu.Nanoseconds();
            Feed(pipeline, decoder, fifo, samples, burstBytes, bursts, ref position, channel);
            viaChannel.Add((ThreadCpu.Nanoseconds() - start) / 1e9 / (bursts * BurstFrames / SampleRateHz));
        }

        channelAllocated = GC.GetAllocatedBytesForCurrentThread() - channelAllocated;

        // The decoder alone, to show where the time goes.
        var decodeOnly = new List<double>(rounds);
        for (var round = 0; round < rounds; round++)
        {
            var start = ThreadCpu.Nanoseconds();
            for (var b = 0; b < bursts; b++)
            {
                decoder.Decode(fifo.AsSpan(position, burstBytes), samples);
                position = (position + burstBytes) % fifo.Length;
            }

            decodeOnly.Add((ThreadCpu.Nanoseconds() - start) / 1e9 / (bursts * BurstFrames / SampleRateHz));
        }

        var c = CultureInfo.InvariantCulture;
        var share = Median(cpu);
        Console.WriteLine(string.Create(c, $"vibration path: 3 axes x {SampleRateHz:0} Hz in FIFO bursts of {BurstFrames} frames; window {options.Window.Size}/{options.Window.Hop}; {features.Length} FFT band features; ONNX {features.Length}x{features.Length} MatMul; reconstruction scoring"));
        Console.WriteLine(string.Create(c, $"rounds {rounds} x {secondsPerRound:0.#} s of signal; {windows} windows scored; model scored {pipeline.Scored} windows in all"));
        Console.WriteLine(string.Create(c, $"CPU per second of signal   median {share * 100:0.00}% of one core  (rounds: {string.Join(", ", cpu.Select(v => (v * 100).ToString("0.00", c)))})"));
        Console.WriteLine(string.Create(c, $"ratio to real time         median {1 / share:0}x faster than the signal arrives"));
        Console.WriteLine(string.Create(c, $"CPU per window (80 ms)     median {Median(perWindow):0.0} us"));
        Console.WriteLine(string.Create(c, $"through the bounded channel median {Median(viaChannel) * 100:0.00}% of one core  (rounds: {string.Join(", ", viaChannel.Select(v => (v * 100).ToString("0.00", c)))}); {channelAllocated} B allocated over these rounds"));
        Console.WriteLine(string.Create(c, $"  of which FIFO decoding   median {Median(decodeOnly) * 100:0.00}% of one core"));
        Console.WriteLine(string.Create(c, $"managed bytes allocated over the timed rounds: {allocated} ({(double)allocated / windows:0.##} B per window); per round: {string.Join(", ", allocatedPerRound)}"));
        RunThroughFifoSource(rounds, secondsPerRound, runtime, modelPath);
        return 0;
    }

    private static int Feed(SensorPipeline pipeline, FifoBurstDecoder decoder, byte[] fifo, Sample[] samples, int burstBytes, int bursts, ref int position,
        Channel<Sample>? channel = null)
    {
        var windows = 0;
        for (var b = 0; b < bursts; b++)
        {
            var n = decoder.Decode(fifo.AsSpan(position, burstBytes), samples);
            position = (position + burstBytes) % fifo.Length;
            if (channel is null)
            {
                for (var i = 0; i < n; i++)
                {
                    windows += pipeline.OnSample(samples[i]);
                }

                continue;
            }

            // As the agent runs it: the source writes each sample into the pipeline's bounded channel and the
            // runner's loop drains it (here on one thread, burst by burst).
            for (var i = 0; i < n; i++)
            {
                channel.Writer.TryWrite(samples[i]);
            }

            while (channel.Reader.TryRead(out var sample))
            {
                windows += pipeline.OnSample(sample);
            }
        }

        return windows;
    }

    /// <summary>A machine running at 24.7 Hz (1,480 rpm) with a bearing tone at 3.1 kHz and noise, as the raw FIFO
    /// bytes a ±2 g accelerometer would deliver. A whole number of bursts, so the stream wraps cleanly.</summary>
    private static byte[] Stream(int seconds, double countsPerG = CountsPerG)
    {
        var frames = (int)(seconds * SampleRateHz) / BurstFrames * BurstFrames;
        var bytes = new byte[frames * FifoBurstDecoder.FrameBytes];
        var random = new Random(42);
        for (var i = 0; i < frames; i++)
        {
            var t = i / SampleRateHz;
            var run = Math.Sin(2 * Math.PI * 24.7 * t);
            var tone = Math.Sin(2 * Math.PI * 3100 * t);
            Span<double> g = [(0.3 * run) + (0.05 * tone), (0.2 * run) + (0.03 * tone), 1.0 + (0.1 * run)];
            for (var axis = 0; axis < 3; axis++)
            {
                var value = (g[axis] + (0.01 * ((random.NextDouble() * 2) - 1))) * countsPerG;
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan((i * FifoBurstDecoder.FrameBytes) + (axis * 2)), (short)Math.Clamp(value, short.MinValue, short.MaxValue));
            }
        }

        return bytes;
    }

    /// <summary>A linear autoencoder stand-in: output = input x W, W near the identity, so reconstruction errors are
    /// small on any input and the scorer and alert logic do their normal work.</summary>
    private static string WriteModel(string path, int n)
    {
        var weights = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            weights[(i * n) + i] = 0.98f;
            weights[(i * n) + ((i + 1) % n)] = 0.01f;
        }

        return new OnnxModelBuilder("vibration_autoencoder")
            .Opset(string.Empty, 17)
            .Input("features", TensorElementType.Float, 1, n)
            .Output("reconstruction", TensorElementType.Float, 1, n)
            .Initializer("w", TensorElementType.Float, [n, n], weights)
            .Node("MatMul", ["features", "w"], ["reconstruction"])
            .Save(path);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
