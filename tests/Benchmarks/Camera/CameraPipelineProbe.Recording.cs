using System.Diagnostics;
using System.Globalization;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Camera.Recording;
using EdgeAgent.Pipelines.Camera.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Camera;

/// <summary>
/// The cost of recording: the same H.264 camera (a 224x224 file looped at 400 fps with -re, faster than the model)
/// through the pipeline with the model only, and with the segment ring on (the capture's ffmpeg also writes 2 s
/// segments with -c copy) while clips are joined from the ring every 3 s in the background, as events would. Passes
/// are interleaved in rounds; medians are printed with the ratio, and the bytes allocated per frame on the loop thread
/// (frame in, OnFrame, the recording's transition check, frame back). Run:
/// <c>dotnet run -c Release --project tests/Benchmarks -- camera-pipeline --recording [rounds] [seconds]</c>.
/// </summary>
public static partial class CameraPipelineProbe
{
    public static async Task<int> RecordingAsync(int rounds, int seconds)
    {
        using var rig = new Rig("edgeagent-camera-recording");
        var video = Path.Combine(rig.Directory, "camera.mkv");
        Ffmpeg("-f", "lavfi", "-i", $"smptebars=size={Size}x{Size}:rate={CameraFps}:duration=4,noise=alls=6:allf=t",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", CameraFps.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", video);
        var camera = new CameraOptions { Input = video, Loop = true, ReadAtNativeRate = true, Width = Size, Height = Size, MaxFps = 0 };
        var off = new List<double>();
        var on = new List<double>();
        var model = new List<double>();
        var clipsWritten = 0L;
        for (var round = 1; round <= rounds; round++)
        {
            Console.WriteLine($"round {round}: load average {File.ReadAllText("/proc/loadavg").Trim()}");
            model.Add(rig.ModelOnly(seconds).Rate);
            var (rate, bytes) = await RecordingPassAsync(rig, camera, null, seconds);
            off.Add(rate);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  model only {model[^1],7:0.0} /s   pipeline, no recording {rate,7:0.0} /s  {bytes:0.0} B/frame on the loop"));
            var ringDirectory = Path.Combine(rig.Directory, $"ring{round}");
            var ring = new SegmentRing(ringDirectory, new RecordingOptions { Enabled = true, SegmentSeconds = 2, MaxMegabytes = 64, MinFreeMegabytes = 0 });
            var clips = new ClipRecorder(Path.Combine(rig.Directory, $"clips{round}"), ring, new ClipOptions { PreSeconds = 1, PostSeconds = 1, MaxMegabytes = 64 },
                "ffmpeg", new NullQueue(), "bench", "bench");
            var recording = new EventRecording(ring, new FullFrameSnapshots(ring, "ffmpeg", 1920, 5), clips);
            (rate, bytes) = await RecordingPassAsync(rig, camera, recording, seconds);
            on.Add(rate);
            clipsWritten += clips.Written;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  pipeline, ring + clips  {rate,7:0.0} /s  {bytes:0.0} B/frame on the loop; {ring.List().Count} segments, {clips.Written} clips written, {clips.Dropped} dropped"));
        }

        double Median(List<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"medians over {rounds} rounds: model only {Median(model):0.0} /s, no recording {Median(off):0.0} /s, ring + clips {Median(on):0.0} /s; " +
            $"ring+clips / no recording {Median(on) / Median(off):0.000}, ring+clips / model only {Median(on) / Median(model):0.000}; {clipsWritten} clips in all"));
        return 0;
    }

    private static async Task<(double Rate, double BytesPerFrame)> RecordingPassAsync(Rig rig, CameraOptions camera, EventRecording? recording, double seconds)
    {
        var capture = new CameraCapture("bench", camera, NullLogger.Instance, recording?.Ring);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => capture.RunAsync(stop.Token));
        var maintain = recording?.MaintainAsync(stop.Token) ?? Task.CompletedTask;
        var events = recording is null ? Task.CompletedTask : EventsAsync(recording.Clips!, stop.Token);
        var pipeline = rig.Pipeline;
        long scored = 0, allocated = 0;
        var clock = new Stopwatch();
        var warmup = Stopwatch.StartNew();
        while (await capture.Frames.TakeAsync() is { } frame)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var now = DateTime.UtcNow.Ticks;
            var transition = pipeline.OnFrame(frame.Pixels, frame.Timestamp, now);
            if (transition != AlertTransition.None)
            {
                recording?.OnTransition(transition, pipeline.Alert, new DateTime(now, DateTimeKind.Utc), stop.Token);
            }

            capture.Frames.Return(frame);
            var used = GC.GetAllocatedBytesForCurrentThread() - before;
            if (!clock.IsRunning && warmup.Elapsed.TotalSeconds >= 2.5)
            {
                clock.Start();
            }
            else if (clock.IsRunning)
            {
                scored++;
                allocated += used;
                if (clock.Elapsed.TotalSeconds >= seconds)
                {
                    break;
                }
            }
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await run;
        await maintain;
        try
        {
            await events;
        }
        catch (OperationCanceledException)
        {
        }

        return (scored / elapsed, scored == 0 ? double.NaN : (double)allocated / scored);
    }

    /// <summary>An event every 3 s, 1 s long: the clip (1 s pre and post) is joined while the camera runs.</summary>
    private static async Task EventsAsync(ClipRecorder clips, CancellationToken cancellationToken)
    {
        var writing = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
                var start = DateTime.UtcNow;
                writing.Add(clips.Started(Guid.NewGuid(), start, cancellationToken));
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                clips.Ended(DateTime.UtcNow);
            }
        }
        finally
        {
            await Task.WhenAll(writing.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }
}
