using System.Diagnostics;
using System.Globalization;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Camera.Recording;
using EdgeAgent.Pipelines.Camera.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Camera;

/// <summary>
/// Memory over many camera events: a real capture writes the segment ring (a 640x480 H.264 camera looped at its
/// native rate, -c copy) while <c>events</c> alert start/end cycles go through the real recording path one after
/// another: the full-resolution snapshot cut from the ring with its marks, saved (newest 20 kept) with its
/// thumbnail published, and the clip joined from the ring and announced; the clip directory's 2 MB cap prunes the
/// oldest clips all along. Each event lies 3 s in the past, so its segments are closed and the cycle does not wait
/// for real time. RSS (VmRSS, after a full GC) is sampled every 100 events. Run:
/// <c>dotnet run -c Release --project tests/Benchmarks -- camera-events [events]</c>.
/// </summary>
public static partial class CameraPipelineProbe
{
    public static async Task<int> EventsAsync(int events)
    {
        using var rig = new Rig("edgeagent-camera-events");
        var video = Path.Combine(rig.Directory, "camera.mkv");
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x480:rate=10:duration=10", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-pix_fmt", "yuv420p", video);
        var camera = new CameraOptions { Input = video, Loop = true, ReadAtNativeRate = true, Width = 64, Height = 48, MaxFps = 5 };
        var ring = new SegmentRing(Path.Combine(rig.Directory, "ring"), new RecordingOptions { Enabled = true, SegmentSeconds = 1, MaxMegabytes = 16, MinFreeMegabytes = 0 });
        var queue = new CountingQueue();
        var clips = new ClipRecorder(Path.Combine(rig.Directory, "clips"), ring, new ClipOptions { PreSeconds = 0.5, PostSeconds = 0.5, MaxMegabytes = 2 },
            "ffmpeg", queue, "bench", "bench");
        var thumbnails = new SnapshotThumbnails("ffmpeg", 240, 32768, 5, queue, "bench", "bench");
        var snapshots = new SnapshotWriter(Path.Combine(rig.Directory, "snapshots"), keep: 20, thumbnails: thumbnails);
        var fullFrame = new FullFrameSnapshots(ring, "ffmpeg", 1920, 5);
        var recording = new EventRecording(ring, fullFrame, clips);

        var capture = new CameraCapture("bench", camera, NullLogger.Instance, ring);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => capture.RunAsync(stop.Token));
        var consume = Task.Run(async () =>
        {
            while (await capture.Frames.TakeAsync() is { } frame)
            {
                capture.Frames.Return(frame);
            }
        });
        var maintain = recording.MaintainAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(5));

        SnapshotMark[] marks = [new SnapshotMark(0.3f, 0.3f, 0.6f, 0.7f, "person 0.91", SnapshotMarkKind.Detection)];
        var samples = new List<(int Events, double RssMb, double ManagedMb)>();
        var clock = Stopwatch.StartNew();
        var snapshotFailures = 0;
        for (var i = 1; i <= events; i++)
        {
            var id = Guid.NewGuid();
            var start = DateTime.UtcNow.AddSeconds(-3);
            var clip = clips.Started(id, start, stop.Token);
            clips.Ended(start.AddSeconds(1));
            try
            {
                var jpeg = await fullFrame.EncodeAsync(start.AddSeconds(0.5), marks, stop.Token);
                await snapshots.SaveAsync(jpeg, new DateTimeOffset(start, TimeSpan.Zero), id, stop.Token);
            }
            catch (IOException)
            {
                snapshotFailures++;
            }

            await clip;
            if (i % 100 == 0)
            {
                samples.Add((i, Rss() / 1e6, GC.GetTotalMemory(false) / 1e6));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{i,5} events  RSS {samples[^1].RssMb,6:0.0} MB  managed {samples[^1].ManagedMb,5:0.0} MB  clips {clips.Written} written {clips.Deleted} pruned {clips.Dropped} dropped  " +
                    $"thumbnails {thumbnails.Published}  {clock.Elapsed.TotalSeconds:0} s"));
            }
        }

        await stop.CancelAsync();
        await run;
        await consume;
        await maintain;
        var clipFiles = Directory.GetFiles(clips.Directory, "*.mp4");
        var first = samples[0];
        var last = samples[^1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{events} events in {clock.Elapsed.TotalSeconds:0} s: RSS {first.RssMb:0.0} MB after {first.Events}, {last.RssMb:0.0} MB after {last.Events} " +
            $"({last.RssMb - first.RssMb:+0.0;-0.0} MB), max {samples.Max(s => s.RssMb):0.0} MB; managed {first.ManagedMb:0.0} -> {last.ManagedMb:0.0} MB; " +
            $"clips written {clips.Written}, pruned {clips.Deleted}, dropped {clips.Dropped}, on disk {clipFiles.Length} ({clipFiles.Sum(f => new FileInfo(f).Length) / 1e6:0.0} MB); " +
            $"snapshots kept {Directory.GetFiles(snapshots.Directory, "*.jpg").Length}, failed {snapshotFailures}; thumbnails {thumbnails.Published}; messages {queue.Count}; " +
            $"segments deleted {ring.Deleted}"));
        return clips.Dropped == 0 && snapshotFailures == 0 ? 0 : 1;
    }

    /// <summary>VmRSS after a full collection, so garbage not yet collected does not read as growth.</summary>
    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private sealed class CountingQueue : EdgeAgent.Pipelines.Events.IOutboundQueue
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public void Enqueue(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, EdgeAgent.Pipelines.Events.MessageOptions options) =>
            Interlocked.Increment(ref _count);
    }
}
