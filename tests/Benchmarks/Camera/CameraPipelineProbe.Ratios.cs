using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using EdgeAgent.Pipelines.Camera;

namespace EdgeAgent.Benchmarks.Camera;

/// <summary>The frame-rate ratio measured within pairs and within interleaved slices (see BENCHMARKS.md, Camera).</summary>
public static partial class CameraPipelineProbe
{
    /// <summary>
    /// The goal's ratio with the machine's drift taken out: the shared VM's speed for the same single-threaded model
    /// swings up to 2x between passes seconds apart (model-only rounds 142-294 runs/s on an idle machine), so medians of
    /// separate rounds compare different machines. Here each pair is a short <c>models bench</c> process, a camera pass
    /// (live source at 400 fps, faster than the model) and an in-process model-only pass, back to back, in alternating
    /// order so that a trend within a pair favours neither; the ratios are taken within each pair and their median
    /// (and quartiles) printed. Run: <c>... camera-pipeline AGENT PAIRS SECONDS --paired</c>.
    /// </summary>
    public static async Task<int> PairedAsync(string agent, int pairs, double seconds)
    {
        using var rig = new Rig("edgeagent-camera-pairs");
        var (model, pipeline) = (rig.ModelPath, rig.Pipeline);
        var lastModelRate = 0.0;
        List<double> cameraToBench = [], modelToBench = [], cameraToModel = [];
        for (var pair = 1; pair <= pairs; pair++)
        {
            Pass bench = null!, camera = null!, modelOnly = null!;
            async Task CameraAsync() => camera = await CameraPassAsync("pipeline, camera 400 fps", pipeline, Live(CameraFps), seconds);
            void ModelOnly()
            {
                modelOnly = rig.ModelOnly(seconds);
                lastModelRate = modelOnly.Rate;
            }

            void Bench()
            {
                // As many runs as the last in-process pass managed in the pass length, so each pass is as long.
                bench = BenchPass(agent, model, lastModelRate == 0 ? 400 : Math.Max(50, (int)(lastModelRate * seconds)));
            }

            if (pair % 2 == 1)
            {
                ModelOnly();
                Bench();
                await CameraAsync();
            }
            else
            {
                await CameraAsync();
                Bench();
                ModelOnly();
            }

            cameraToBench.Add(camera.Rate / bench.Rate);
            modelToBench.Add(modelOnly.Rate / bench.Rate);
            cameraToModel.Add(camera.Rate / modelOnly.Rate);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pair {pair,2}: models bench {bench.Rate,6:0.0}/s  model only {modelOnly.Rate,6:0.0}/s  camera pipeline {camera.Rate,6:0.0}/s (delivered {camera.Delivered:0}/s)  camera/bench {cameraToBench[^1]:0.000}  model/bench {modelToBench[^1]:0.000}  load {File.ReadAllText("/proc/loadavg").Trim()}"));
        }

        static string Quartiles(List<double> values)
        {
            var sorted = values.Order().ToArray();
            double At(double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];
            return string.Create(CultureInfo.InvariantCulture, $"median {At(0.5):0.000} (quartiles {At(0.25):0.000}-{At(0.75):0.000}, {sorted.Count(v => v >= 0.95)} of {sorted.Length} pairs >= 0.95)");
        }

        Console.WriteLine($"ratios within pairs over {pairs} pairs of {seconds} s passes:");
        Console.WriteLine($"  camera pipeline / models bench   {Quartiles(cameraToBench)}");
        Console.WriteLine($"  model only in process / bench    {Quartiles(modelToBench)}");
        Console.WriteLine($"  camera pipeline / model only     {Quartiles(cameraToModel)}");
        return 0;
    }

    /// <summary>
    /// The same comparison at the time scale of the machine's drift: one live camera (400 fps, faster than the model)
    /// runs throughout, and the loop alternates slices of <paramref name="sliceMs"/>: scoring camera frames through the
    /// pipeline, then running the model alone on the same picture with ffmpeg stopped (SIGSTOP, so it neither competes
    /// nor is credited; on SIGCONT it catches up in a burst that the next camera slice pays for). The ratio of each
    /// camera slice to the model slice after it, median and quartiles, and the ratio of the totals are printed, with
    /// <c>models bench</c> before and after to tie the in-process model rate to the CLI's.
    /// Run: <c>... camera-pipeline AGENT SECONDS SLICE_MS --interleaved</c>.
    /// </summary>
    public static async Task<int> InterleavedAsync(string agent, int seconds, int sliceMs)
    {
        using var rig = new Rig("edgeagent-camera-slices");
        var (model, pipeline, pixels, preprocessor) = (rig.ModelPath, rig.Pipeline, rig.Pixels, rig.Preprocessor);
        var benchBefore = BenchPass(agent, model, 1000);
        Console.WriteLine(benchBefore);

        var capture = new CameraCapture("bench", Live(CameraFps), NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => capture.RunAsync(stop.Token));
        var slice = Stopwatch.Frequency * sliceMs / 1000;
        long cameraFrames = 0, cameraTicks = 0, modelRuns = 0, modelTicks = 0;
        List<double> ratios = [];
        var warmup = Stopwatch.StartNew();
        int? ffmpeg = null;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds + 2)
        {
            var measuring = warmup.Elapsed.TotalSeconds >= 2;
            ffmpeg ??= ProcessClock.FfmpegChild();
            var start = Stopwatch.GetTimestamp();
            long frames = 0;
            while (Stopwatch.GetTimestamp() - start < slice)
            {
                if (await capture.Frames.TakeAsync(stop.Token) is not { } frame)
                {
                    throw new InvalidOperationException("the camera ended");
                }

                pipeline.OnFrame(frame.Pixels, frame.Timestamp, DateTime.UtcNow.Ticks);
                capture.Frames.Return(frame);
                frames++;
            }

            var cameraElapsed = Stopwatch.GetTimestamp() - start;
            if (ffmpeg is { } paused)
            {
                Signal(paused, 19); // SIGSTOP
            }

            preprocessor.Process(pixels, pipeline.Model.FloatInput);
            start = Stopwatch.GetTimestamp();
            long runs = 0;
            while (Stopwatch.GetTimestamp() - start < slice)
            {
                pipeline.Model.Run();
                runs++;
            }

            var modelElapsed = Stopwatch.GetTimestamp() - start;
            if (ffmpeg is { } resumed)
            {
                Signal(resumed, 18); // SIGCONT
            }

            if (measuring)
            {
                cameraFrames += frames;
                cameraTicks += cameraElapsed;
                modelRuns += runs;
                modelTicks += modelElapsed;
                ratios.Add(frames * (double)modelElapsed / cameraElapsed / runs);
            }
        }

        var received = capture.Counters.FramesReceived;
        await stop.CancelAsync();
        await run;
        var benchAfter = BenchPass(agent, model, 1000);
        Console.WriteLine(benchAfter);
        var sorted = ratios.Order().ToArray();
        double At(double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];
        var cameraRate = cameraFrames * (double)Stopwatch.Frequency / cameraTicks;
        var modelRate = modelRuns * (double)Stopwatch.Frequency / modelTicks;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"""
            {sorted.Length} slice pairs of {sliceMs} ms over {seconds} s (after 2 s warm-up); camera delivered {received} frames
              camera pipeline  {cameraRate:0.0} frames/s   model only (in process, ffmpeg stopped)  {modelRate:0.0} runs/s
              camera pipeline / model only: totals {cameraRate / modelRate:0.000}; per pair median {At(0.5):0.000} (quartiles {At(0.25):0.000}-{At(0.75):0.000}, {sorted.Count(r => r >= 0.95)} of {sorted.Length} >= 0.95)
              models bench before / after: {benchBefore.Rate:0.0} / {benchAfter.Rate:0.0} runs/s; in-process model only / their mean {modelRate / ((benchBefore.Rate + benchAfter.Rate) / 2):0.000}
            """));
        return 0;
    }

    private static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
