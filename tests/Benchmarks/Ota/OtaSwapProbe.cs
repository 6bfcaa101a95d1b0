using System.Diagnostics;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Memory;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;

namespace EdgeAgent.Benchmarks.Ota;

/// <summary>
/// Whole-process OTA measurements: a ~5 MB model swapped 100 times into a sensor pipeline whose loop is fed a
/// synthetic 1 kHz stream as fast as it takes it. Reports the loop's swap pause (median, p99), the time from a
/// verified artifact to serving (load + smoke runs + swap), windows vs scored, and RSS (with the ORT arena's and
/// the C heap's counters) after the first and every 50th swap. <c>--baseline</c>: without <see cref="NativeHeap"/>.
/// </summary>
public static class OtaSwapProbe
{
    /// <param name="baseline">True reproduces the C heap's behaviour before <see cref="NativeHeap"/> (for side-by-side runs).</param>
    public static async Task<int> RunAsync(int swaps = 100, bool baseline = false)
    {
        NativeHeap.Enabled = !baseline;
        using var runtime = InferenceRuntime.Create(new InferenceOptions());
        var options = new PipelineOptions { Name = "bench" };
        options.Alert.RaiseThreshold = 1e9;
        var features = SensorPipelineFactory.CreateFeatures(options);
        var path = Path.Combine(Path.GetTempPath(), $"edgeagent-ota-probe-{Environment.ProcessId}.onnx");
        var hidden = 5_000_000 / (8 * features.Length);
        var random = new Random(1);
        float[] Weights(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 1e-3))];
        new OnnxModelBuilder("ota_probe")
            .Input("x", TensorElementType.Float, 1, features.Length).Output("y", TensorElementType.Float, 1, features.Length)
            .Initializer("w1", TensorElementType.Float, [features.Length, hidden], Weights(features.Length * hidden))
            .Initializer("w2", TensorElementType.Float, [hidden, features.Length], Weights(hidden * features.Length))
            .Node("MatMul", ["x", "w1"], ["h"]).Node("MatMul", ["h", "w2"], ["y"])
            .Save(path);
        Console.WriteLine($"model: {new FileInfo(path).Length / 1e6:0.0} MB, {features.Length} features, hidden {hidden}");

        var first = new OnnxWindowModel(runtime.LoadModel(path), string.Empty, string.Empty);
        var pipeline = SensorPipelineFactory.Create(options, "bench", first, null, new DiscardQueue(), features);
        var channels = SensorPipelineFactory.Channels(options).Count;
        using var stop = new CancellationTokenSource();
        var loop = new Thread(() =>
        {
            var ticks = 0L;
            while (!stop.IsCancellationRequested)
            {
                ticks += TimeSpan.TicksPerMillisecond;
                for (var c = 0; c < channels; c++)
                {
                    pipeline.OnSample(new Sample(ticks, c, Math.Sin(ticks * 1e-7) + c));
                }
            }
        }) { IsBackground = true };
        loop.Start();

        var pauses = new List<double>();
        var toServing = new List<double>();
        long rssFirst = 0;
        for (var i = 0; i < swaps; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var candidate = new OnnxWindowModel(runtime.LoadModel(path), string.Empty, string.Empty);
            pipeline.Model.Input.CopyTo(candidate.Input);
            for (var run = 0; run < 3; run++)
            {
                candidate.Run();
            }

            var swap = new ModelSwap<IWindowModel>(candidate);
            while (!pipeline.Slot.RequestSwap(swap))
            {
                await Task.Delay(1);
            }

            var previous = await swap.Completion;
            toServing.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            pauses.Add(swap.Pause.TotalMicroseconds);
            ((IDisposable)previous).Dispose();

            if (i == 0)
            {
                rssFirst = Rss();
            }

            if (i == 0 || (i + 1) % 50 == 0)
            {
                Console.WriteLine($"after swap {i + 1}: {Memory(runtime)}");
            }
        }

        var rssLast = Rss();
        await stop.CancelAsync();
        loop.Join();
        ((IDisposable)pipeline.Model).Dispose();
        File.Delete(path);
        Console.WriteLine($"swaps: {swaps}; windows {pipeline.Counters.Windows}, scored {pipeline.Scored} (must be equal)");
        Console.WriteLine($"swap pause: median {Percentile(pauses, 0.5):0.0} us, p99 {Percentile(pauses, 0.99):0.0} us, max {pauses.Max():0.0} us");
        Console.WriteLine($"verified artifact -> serving: median {Percentile(toServing, 0.5):0.0} ms, p99 {Percentile(toServing, 0.99):0.0} ms");
        Console.WriteLine($"RSS after swap 1: {rssFirst / 1e6:0.0} MB, after swap {swaps}: {rssLast / 1e6:0.0} MB ({100.0 * (rssLast - rssFirst) / rssFirst:+0.0;-0.0}%)");
        return pipeline.Counters.Windows == pipeline.Scored ? 0 : 1;
    }

    private static string Memory(InferenceRuntime runtime)
    {
        var rss = Rss();
        var arena = runtime.ArenaStatistics();
        var heap = NativeHeap.Statistics();
        return $"RSS {rss / 1e6:0.0} MB; ORT arena in use {arena.GetValueOrDefault("InUse") / 1e6:0.0} MB of {arena.GetValueOrDefault("TotalAllocated") / 1e6:0.0} MB; " +
            (heap is null ? "C heap: not reported" : $"C heap arenas {heap.ArenaBytes / 1e6:0.0} MB (in use {heap.InUseBytes / 1e6:0.0}, free {heap.FreeBytes / 1e6:0.0}), mmapped {heap.MappedBytes / 1e6:0.0} MB") +
            $"; managed {GC.GetTotalMemory(false) / 1e6:0.0} MB";
    }

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
    }
}
