using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Scoring;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Camera;

/// <summary>
/// End-to-end frame rate of a camera pipeline at 224x224 RGB (real ffmpeg capture of a raw clip, preprocessing into
/// the pinned input, ORT run, scorer, alert logic) against the model-only rate <c>edgeagent models bench</c> measures
/// for the same model, in the same run: pipeline, bench, pipeline. Run:
/// <c>dotnet run -c Release --project tests/Benchmarks -- camera-pipeline artifacts/edgeagent/edgeagent</c>.
/// </summary>
public static class CameraPipelineProbe
{
    private const int Size = 224;

    // The camera delivers (paced, like a live camera) faster than the model can score: the pipeline, not the camera, is measured.
    private const int CameraFps = 400;

    public static async Task<int> RunAsync(string agent, int seconds = 15)
    {
        var directory = Directory.CreateTempSubdirectory("edgeagent-camera-pipeline").FullName;
        try
        {
            var model = Model().Save(Path.Combine(directory, "conv224.onnx"));
            var clip = Path.Combine(directory, "static.nut");
            Ffmpeg("-f", "lavfi", "-i", $"smptebars=size={Size}x{Size}:rate={CameraFps}:duration=4,noise=alls=6:allf=t", "-c:v", "rawvideo", "-pix_fmt", "rgb24", clip);
            using var runtime = InferenceRuntime.Create(new InferenceOptions { IntraOpThreads = 1 });
            var first = await PipelineRateAsync(runtime, model, clip, seconds);
            var bench = BenchRate(agent, model);
            var second = await PipelineRateAsync(runtime, model, clip, seconds);
            var pipeline = (first.Rate + second.Rate) / 2;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pipeline: {first.Rate:0.0} and {second.Rate:0.0} frames/s (mean {pipeline:0.0}; {first.Dropped + second.Dropped} frames dropped by newest-wins); models bench: {bench:0.0} runs/s; ratio {pipeline / bench:0.000}"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
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

    private static async Task<(double Rate, long Dropped)> PipelineRateAsync(InferenceRuntime runtime, string model, string clip, int seconds)
    {
        var camera = new CameraOptions { Input = clip, Loop = true, ReadAtNativeRate = true, Width = Size, Height = Size, MaxFps = 0 };
        var alert = new AlertOptions { RaiseThreshold = 1e9 };
        using var pipeline = new CameraPipeline("bench", camera, new CameraModel(runtime.LoadModel(model), string.Empty, string.Empty, 3),
            new ScorerOptions { Kind = ScorerKind.Output },
            scorer => new AnomalyEventPublisher("bench", "bench", alert, new AlertStateMachine(alert, null), scorer, 0, new NullQueue()));
        var capture = new CameraCapture("bench", camera, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => capture.RunAsync(stop.Token));
        long scored = 0;
        var clock = new Stopwatch();
        var warmup = Stopwatch.StartNew();
        while (await capture.Frames.TakeAsync() is { } frame)
        {
            pipeline.OnFrame(frame.Pixels, frame.Timestamp, DateTime.UtcNow.Ticks);
            capture.Frames.Return(frame);
            if (!clock.IsRunning && warmup.Elapsed.TotalSeconds >= 2)
            {
                clock.Start();
                scored = 0;
            }
            else if (clock.IsRunning && ++scored > 0 && clock.Elapsed.TotalSeconds >= seconds)
            {
                break;
            }
        }

        var rate = scored / clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await run;
        return (rate, capture.Counters.FramesDropped);
    }

    private static double BenchRate(string agent, string model)
    {
        var start = new ProcessStartInfo(agent) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in (string[])["models", "bench", model, "--runs", "3000", "--threads", "1", "--json"])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Console.WriteLine("models bench: " + output.Trim());
        using var json = JsonDocument.Parse(output);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Name.Contains("per_second", StringComparison.OrdinalIgnoreCase) || property.Name.Contains("PerSecond", StringComparison.Ordinal) ||
                property.Name.Contains("throughput", StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.GetDouble();
            }
        }

        throw new InvalidOperationException("models bench printed no throughput: " + output);
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

    private sealed class NullQueue : IOutboundQueue
    {
        public void Enqueue(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, MessageOptions options)
        {
        }
    }
}
