using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Camera;

/// <summary>
/// End-to-end frame rate of a camera pipeline at 224x224 RGB (real ffmpeg capture of a live test source, preprocessing into
/// the pinned input, ORT run, scorer, alert logic) against the model-only rate <c>edgeagent models bench</c> measures
/// for the same model, in the same run. The machine is shared and noisy, so the passes are interleaved in rounds
/// (bench, model-only in process, pipeline without camera, camera faster than the model, camera paced just below the
/// model) and medians over rounds are printed, with where the time went (wait for a frame, the pipeline's own work,
/// CPU and run-queue wait of this process and of ffmpeg). Run:
/// <c>dotnet run -c Release --project tests/Benchmarks -- camera-pipeline artifacts/edgeagent/edgeagent [rounds] [seconds]</c>.
/// </summary>
public static partial class CameraPipelineProbe
{
    private const int Size = 224;

    // "Fast" camera: delivers (paced, like a live camera) faster than the model can score.
    private const int CameraFps = 400;

    public static async Task<int> RunAsync(string agent, int rounds = 3, int seconds = 5)
    {
        using var rig = new Rig("edgeagent-camera-pipeline");
        var (model, pipeline, pixels, preprocessor) = (rig.ModelPath, rig.Pipeline, rig.Pixels, rig.Preprocessor);
        var clip = Path.Combine(rig.Directory, "noise.nut");
        Ffmpeg("-f", "lavfi", "-i", $"smptebars=size={Size}x{Size}:rate={CameraFps}:duration=1,noise=alls=6:allf=t", "-c:v", "rawvideo", "-pix_fmt", "rgb24", clip);
        var results = new Dictionary<string, List<Pass>>();
        void Add(Pass pass)
        {
            Console.WriteLine(pass);
            (results.TryGetValue(pass.Name, out var list) ? list : results[pass.Name] = []).Add(pass);
        }

        var noise = GC.AllocateArray<byte>(Size * Size * 3, pinned: true);
        new Random(42).NextBytes(noise);
        for (var round = 1; round <= rounds; round++)
        {
            Console.WriteLine($"round {round}: load average {File.ReadAllText("/proc/loadavg").Trim()}");
            Add(BenchPass(agent, model));
            var modelOnly = rig.ModelOnly(seconds);
            Add(modelOnly);
            preprocessor.Process(noise, pipeline.Model.FloatInput);
            Add(Timed("model only, noise picture", seconds, () => pipeline.Model.Run()));
            Add(Timed("preprocessing only", seconds, () => preprocessor.Process(pixels, pipeline.Model.FloatInput)));
            Add(Timed("pipeline, no camera", seconds, () => pipeline.OnFrame(pixels, Stopwatch.GetTimestamp(), DateTime.UtcNow.Ticks)));
            Add(await CameraPassAsync("pipeline, camera 400 fps", pipeline, Live(CameraFps), seconds));
            Add(await CameraPassAsync("pipeline, 400 fps file with -re", pipeline, ReadAtNativeRate(clip), seconds));
            Add(await CameraPassAsync("pipeline, camera 0.95x model", pipeline, Live(0.95 * modelOnly.Rate), seconds));
        }

        var bench = Median(results["models bench"]);
        Console.WriteLine($"medians over {rounds} rounds (load average now {File.ReadAllText("/proc/loadavg").Trim()}):");
        foreach (var (name, passes) in results)
        {
            var rate = Median(passes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-30} {rate,8:0.0} frames/s  ratio to models bench {rate / bench:0.000}"));
        }

        return 0;
    }

    /// <summary>What every pass shares: the model file, one session in a 1-thread runtime, the pipeline around it, and
    /// the picture the live camera shows (colour bars), so that every pass feeds the model the same data.</summary>
    private sealed class Rig : IDisposable
    {
        public Rig(string prefix)
        {
            Runtime = InferenceRuntime.Create(new InferenceOptions { IntraOpThreads = 1 });
            Directory = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
            ModelPath = Model().Save(Path.Combine(Directory, "conv224.onnx"));
            Pipeline = CameraPipelineProbe.Pipeline(Runtime, ModelPath);
            Ffmpeg("-f", "lavfi", "-i", $"smptebars=size={Size}x{Size}", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", Path.Combine(Directory, "bars.rgb"));
            File.ReadAllBytes(Path.Combine(Directory, "bars.rgb")).CopyTo(Pixels, 0);
        }

        public string Directory { get; }

        public string ModelPath { get; }

        public InferenceRuntime Runtime { get; }

        public CameraPipeline Pipeline { get; }

        public byte[] Pixels { get; } = GC.AllocateArray<byte>(Size * Size * 3, pinned: true);

        public ImagePreprocessor Preprocessor { get; } = new(Size, Size, 3, Size, Size, TensorLayout.Nchw);

        /// <summary>The model alone on the colour bars for <paramref name="seconds"/>.</summary>
        public Pass ModelOnly(double seconds)
        {
            Preprocessor.Process(Pixels, Pipeline.Model.FloatInput);
            return Timed("model only (in process)", seconds, () => Pipeline.Model.Run());
        }

        public void Dispose()
        {
            Pipeline.Dispose();
            Runtime.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static double Median(List<Pass> passes)
    {
        var rates = passes.Select(p => p.Rate).Order().ToArray();
        return rates.Length % 2 == 1 ? rates[rates.Length / 2] : (rates[rates.Length / 2 - 1] + rates[rates.Length / 2]) / 2;
    }

    private static CameraPipeline Pipeline(InferenceRuntime runtime, string model)
    {
        var camera = new CameraOptions { Width = Size, Height = Size, MaxFps = 0 };
        var alert = new AlertOptions { RaiseThreshold = 1e9 };
        return new CameraPipeline("bench", camera, new CameraModel(runtime.LoadModel(model), string.Empty, string.Empty, 3),
            new ScorerOptions { Kind = ScorerKind.Output },
            scorer => new AnomalyEventPublisher("bench", "bench", alert, new AlertStateMachine(alert, null), scorer, 0, new NullQueue()));
    }

    private static OnnxModelBuilder Model()
    {
        // About 0.15 GMAC, a few milliseconds per frame here: the cost class of a small image model on an edge CPU.
        static float[] Weights(int n) => [.. Enumerable.Range(0, n).Select(i => ((i * 7919) % 17 - 8) / 64f)];

        return new OnnxModelBuilder("conv224")
            .Input("image", TensorElementType.Float, 1, 3, Size, Size)
            .Output("score", TensorElementType.Float, 1, 1, 1, 1)
            .Initializer("w1", TensorElementType.Float, [32, 3, 3, 3], Weights(32 * 27))
            .Initializer("w2", TensorElementType.Float, [32, 32, 3, 3], Weights(32 * 288))
            .Node("Conv", ["image", "w1"], ["c1"], OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c1"], ["r1"])
            .Node("Conv", ["r1", "w2"], ["c"], OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("strides", 2, 2))
            .Node("Relu", ["c"], ["r"])
            .Node("GlobalAveragePool", ["r"], ["p"])
            .Node("ReduceMax", ["p"], ["score"], OnnxAttribute.Int("keepdims", 1));
    }

    /// <summary>A loop on this thread for <paramref name="seconds"/> after half a second of warm-up.</summary>
    private static Pass Timed(string name, double seconds, Action body)
    {
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < 0.5)
        {
            body();
        }

        var before = ProcessClock.Read();
        var clock = Stopwatch.StartNew();
        long count = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            body();
            count++;
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        return new Pass(name, count / elapsed, 0, elapsed / count, ProcessClock.Read() - before, elapsed, 0, 0);
    }

    /// <summary>
    /// A live camera at <paramref name="fps"/>: ffmpeg's lavfi source paced by the realtime filter, which delivers each
    /// frame at its time.
    /// </summary>
    private static CameraOptions Live(double fps) => new()
    {
        Input = string.Create(CultureInfo.InvariantCulture, $"smptebars=size={Size}x{Size}:rate={fps:0.##},realtime"),
        ReadAtNativeRate = false, Width = Size, Height = Size, MaxFps = 0, DecoderArguments = ["-f", "lavfi"],
    };

    /// <summary>
    /// The earlier stand-in for a camera, a raw file read with -re: not a fair one at these rates, because ffmpeg 5 sleeps
    /// 10 ms whenever its input is ahead, so at 400 fps it delivers bursts of four frames every 10 ms.
    /// </summary>
    private static CameraOptions ReadAtNativeRate(string clip) => new()
    {
        Input = clip, Loop = true, ReadAtNativeRate = true, Width = Size, Height = Size, MaxFps = 0,
    };

    private static async Task<Pass> CameraPassAsync(string name, CameraPipeline pipeline, CameraOptions camera, double seconds)
    {
        var capture = new CameraCapture("bench", camera, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => capture.RunAsync(stop.Token));
        long scored = 0, waitTicks = 0, workTicks = 0, received = 0, dropped = 0, waits = 0, wakeTicks = 0;
        var clock = new Stopwatch();
        var warmup = Stopwatch.StartNew();
        var before = default(ProcessClock);
        var threadsBefore = new Dictionary<int, (string Name, double Cpu, long Switches)>();
        var ffmpegBefore = new Dictionary<int, (string Name, double Cpu, long Switches)>();
        var ffmpegPid = string.Empty;
        var t0 = Stopwatch.GetTimestamp();
        while (true)
        {
            var take = capture.Frames.TakeAsync();
            var waited = !take.IsCompleted;
            if (await take is not { } frame)
            {
                break;
            }

            var t1 = Stopwatch.GetTimestamp();
            if (waited)
            {
                // From the reader publishing the frame to this loop running again: the hand-off's wake-up latency.
                waits++;
                wakeTicks += t1 - frame.Timestamp;
            }

            pipeline.OnFrame(frame.Pixels, frame.Timestamp, DateTime.UtcNow.Ticks);
            capture.Frames.Return(frame);
            var t2 = Stopwatch.GetTimestamp();
            waitTicks += t1 - t0;
            workTicks += t2 - t1;
            t0 = t2;
            if (!clock.IsRunning && warmup.Elapsed.TotalSeconds >= 1.5)
            {
                before = ProcessClock.Read();
                threadsBefore = ProcessClock.ThreadTimes();
                ffmpegPid = ProcessClock.FfmpegChild()?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
                ffmpegBefore = ffmpegPid.Length > 0 ? ProcessClock.ThreadTimes(ffmpegPid) : [];
                (scored, waitTicks, workTicks, waits, wakeTicks) = (0, 0, 0, 0, 0);
                (received, dropped) = (capture.Counters.FramesReceived, capture.Counters.FramesDropped);
                clock.Start();
            }
            else if (clock.IsRunning && ++scored > 0 && clock.Elapsed.TotalSeconds >= seconds)
            {
                break;
            }
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        var used = ProcessClock.Read() - before;
        var threads = ProcessClock.Busiest(threadsBefore, ProcessClock.ThreadTimes(), elapsed);
        if (ffmpegPid.Length > 0)
        {
            threads += "; ffmpeg threads: " + ProcessClock.Busiest(ffmpegBefore, ProcessClock.ThreadTimes(ffmpegPid), elapsed);
        }

        received = capture.Counters.FramesReceived - received;
        dropped = capture.Counters.FramesDropped - dropped;
        await stop.CancelAsync();
        await run;
        double PerFrame(long ticks) => (double)ticks / Stopwatch.Frequency / scored;
        return new Pass(name, scored / elapsed, PerFrame(waitTicks), PerFrame(workTicks), used, elapsed, received / elapsed, dropped)
        {
            Waits = waits,
            WakeLatency = waits == 0 ? 0 : (double)wakeTicks / Stopwatch.Frequency / waits,
            Threads = threads,
        };
    }

    private static Pass BenchPass(string agent, string model, int runs = 1500)
    {
        var start = new ProcessStartInfo(agent) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in (string[])["models", "bench", model, "--runs", runs.ToString(CultureInfo.InvariantCulture), "--threads", "1", "--json"])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        using var json = JsonDocument.Parse(output);
        var rate = json.RootElement.GetProperty("throughput_per_s").GetDouble();
        var median = json.RootElement.GetProperty("median_us").GetDouble() / 1e6;
        return new Pass("models bench", rate, 0, median, default, 0, 0, 0);
    }

    private static void Ffmpeg(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { UseShellExecute = false };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", "-y", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
    }

    /// <param name="Wait">Mean seconds per scored frame spent waiting for a frame.</param>
    /// <param name="Work">Mean seconds per frame in the pipeline (preprocessing, run, scoring); for models bench the median run.</param>
    private sealed record Pass(string Name, double Rate, double Wait, double Work, ProcessClock Used, double Elapsed, double Delivered, long Dropped)
    {
        public long Waits { get; init; }

        public double WakeLatency { get; init; }

        public string Threads { get; init; } = string.Empty;

        public override string ToString()
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"  {Name,-30} {Rate,7:0.0} /s  work {Work * 1e3:0.000} ms");
            if (Elapsed > 0)
            {
                text += string.Create(CultureInfo.InvariantCulture,
                    $"  wait {Wait * 1e3:0.000} ms  agent cpu {Used.SelfCpu / Elapsed:0.00} core  ffmpeg cpu {Used.FfmpegCpu / Elapsed:0.00} (run queue {Used.FfmpegRunQueue / Elapsed:0.00})");
            }

            if (Delivered > 0)
            {
                text += string.Create(CultureInfo.InvariantCulture,
                    $"  delivered {Delivered:0.0} /s, dropped {Dropped}, waited for {Waits} frames (wake-up {WakeLatency * 1e6:0} us); threads (cores): {Threads}");
            }

            return text;
        }
    }

    private sealed class NullQueue : IOutboundQueue
    {
        public void Enqueue(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, MessageOptions options)
        {
        }
    }
}
