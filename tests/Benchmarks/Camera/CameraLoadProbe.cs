using System.Diagnostics;
using System.Globalization;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Preprocessing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Camera;

/// <summary>
/// Whole-process measurements BenchmarkDotNet cannot make: CPU share of a camera at 15 fps with the motion filter
/// on a static scene, and RSS drift and allocations over 10,000 frames through capture → motion → preprocessing.
/// Run: <c>dotnet run -c Release --project tests/Benchmarks -- camera-load</c>.
/// </summary>
public static class CameraLoadProbe
{
    public static async Task RunAsync(int cpuSeconds = 30, int frames = 10_000)
    {
        var directory = Directory.CreateTempSubdirectory("edgeagent-camera-load").FullName;
        try
        {
            var clip = Path.Combine(directory, "static.mkv");
            RunFfmpeg("-f", "lavfi", "-i", "smptebars=size=640x480:rate=15:duration=10,noise=alls=6:allf=t", "-c:v", "mpeg4", "-q:v", "4", clip);
            await MeasureCpuAsync(clip, cpuSeconds);
            await MeasureDriftAsync(clip, frames);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task MeasureCpuAsync(string clip, int seconds)
    {
        var options = new CameraOptions
        {
            Input = clip, Loop = true, Width = 640, Height = 480, MaxFps = 15,
            Motion = { Enabled = true, Downscale = 4, ForceEverySeconds = 60 },
        };
        var (capture, motion, preprocessor, tensor) = Build(options);
        using var cancel = new CancellationTokenSource();
        var run = capture.RunAsync(cancel.Token);
        var consumer = Consume(capture, motion, preprocessor, tensor, long.MaxValue, static () => { });
        await WaitForFramesAsync(capture, 15);

        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var ffmpegBefore = ChildCpuSeconds();
        var framesBefore = capture.Counters.FramesReceived;
        var wall = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        self.Refresh();
        var cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
        var ffmpeg = ChildCpuSeconds() - ffmpegBefore;
        var elapsed = wall.Elapsed.TotalSeconds;
        var delivered = capture.Counters.FramesReceived - framesBefore;
        await cancel.CancelAsync();
        await run;
        await consumer;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"camera-load cpu: {delivered / elapsed:0.0} fps 640x480 rgb24, motion filter on, static scene: agent process {100 * cpu / elapsed:0.0}% of one core, ffmpeg child {100 * ffmpeg / elapsed:0.0}%, frames scored {motion.FramesPassed} (skipped {motion.FramesSkipped}), dropped {capture.Counters.FramesDropped}"));
    }

    private static async Task MeasureDriftAsync(string clip, int frames)
    {
        var options = new CameraOptions
        {
            Input = clip, Loop = true, ReadAtNativeRate = false, Width = 224, Height = 224, MaxFps = 0,
            Motion = { Enabled = true, ForceEverySeconds = 0.001 },
        };
        var (capture, motion, preprocessor, tensor) = Build(options);
        using var cancel = new CancellationTokenSource();
        var run = capture.RunAsync(cancel.Token);
        long rssAt1000 = 0, allocatedAt1000 = 0, consumed = 0;
        var consumer = Consume(capture, motion, preprocessor, tensor, frames, () =>
        {
            if (++consumed == 1000)
            {
                GC.Collect();
                rssAt1000 = Environment.WorkingSet;
                allocatedAt1000 = GC.GetTotalAllocatedBytes(precise: true);
            }
        });
        await consumer;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedAt1000;
        GC.Collect();
        var rssEnd = Environment.WorkingSet;
        var received = capture.Counters.FramesReceived;
        await cancel.CancelAsync();
        await run;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"camera-load drift: {consumed} frames consumed of {received} received (224x224, unthrottled): RSS {rssAt1000 / 1048576.0:0.0} MiB at frame 1000 -> {rssEnd / 1048576.0:0.0} MiB at frame {consumed} ({(rssEnd - rssAt1000) / 1048576.0:+0.0;-0.0} MiB); whole process allocated {allocated / (double)Math.Max(1, consumed - 1000):0.0} B per consumed frame"));
    }

    private static (CameraCapture, MotionFilter, ImagePreprocessor, float[]) Build(CameraOptions options)
    {
        var capture = new CameraCapture("camera load", options, NullLogger.Instance);
        var motion = new MotionFilter(options.Width, options.Height, options.PixelFormat, options.Motion);
        var preprocessor = new ImagePreprocessor(options.Width, options.Height, 3, 224, 224, TensorLayout.Nchw);
        return (capture, motion, preprocessor, GC.AllocateArray<float>(preprocessor.TensorLength, pinned: true));
    }

    private static Task Consume(CameraCapture capture, MotionFilter motion, ImagePreprocessor preprocessor, float[] tensor, long limit, Action onFrame) =>
        Task.Run(async () =>
        {
            for (var n = 0L; n < limit && await capture.Frames.TakeAsync() is { } frame; n++)
            {
                if (motion.Evaluate(frame.Pixels, frame.Timestamp))
                {
                    preprocessor.Process(frame.Pixels, tensor);
                }

                onFrame();
                capture.Frames.Return(frame);
            }
        });

    private static async Task WaitForFramesAsync(CameraCapture capture, long count)
    {
        while (capture.Counters.FramesReceived < count)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>utime+stime of our ffmpeg children from /proc (they are alive, so getrusage cannot see them yet).</summary>
    private static double ChildCpuSeconds()
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var ticks = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == self)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return ticks / 100.0;
    }

    private static void RunFfmpeg(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { UseShellExecute = false };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", "-y", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not generate the test clip");
        }
    }
}
