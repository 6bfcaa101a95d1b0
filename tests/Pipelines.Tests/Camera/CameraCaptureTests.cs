using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

public sealed class CameraCaptureTests : IDisposable
{
    private readonly TempDirectory _temp = new("edgeagent-camera");
    private readonly RecordingLogger _logger = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_file_is_decoded_to_exact_size_frames_and_the_capture_ends_with_it()
    {
        var clip = FfmpegTool.Generate(_temp.Combine("clip.mkv"), "testsrc2=size=320x240:rate=10:duration=2");
        var capture = new CameraCapture("camera test", new CameraOptions
        {
            Input = clip, Width = 64, Height = 48, MaxFps = 0, ReadAtNativeRate = false,
        }, _logger);
        var consumed = new List<long>();
        var consumer = Task.Run(async () =>
        {
            while (await capture.Frames.TakeAsync() is { } frame)
            {
                frame.Pixels.Length.Should().Be(64 * 48 * 3);
                consumed.Add(frame.Sequence);
                await Task.Delay(1);
                capture.Frames.Return(frame);
            }
        });

        await capture.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        await consumer.WaitAsync(TimeSpan.FromSeconds(10));

        capture.State.Should().Be(CameraState.Ended);
        var counters = capture.Counters;
        counters.FramesReceived.Should().Be(20);
        counters.Restarts.Should().Be(0);
        consumed.Should().BeInAscendingOrder().And.NotBeEmpty();
        (consumed.Count + counters.FramesDropped).Should().Be(20);
        capture.Check(0).State.Should().Be(HealthState.Healthy);
    }

    [Fact]
    public async Task Gaps_in_the_timestamps_are_not_filled_with_repeated_frames()
    {
        // 60 frames at 30 fps with a 100 ms gap after every 10th, like a camera losing frames: constant-frame-rate
        // output would repeat frames into the gaps (ffmpeg's default for raw output gives 75 here).
        var clip = _temp.Combine("gaps.mkv");
        FfmpegTool.Run("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=30:duration=2,setpts='(N/30+floor(N/10)*0.1)/TB'", "-c:v", "ffv1", clip);
        var capture = new CameraCapture("camera gaps", new CameraOptions
        {
            Input = clip, Width = 64, Height = 48, MaxFps = 0, ReadAtNativeRate = false,
        }, _logger);
        var consumer = Task.Run(async () =>
        {
            while (await capture.Frames.TakeAsync() is { } frame)
            {
                capture.Frames.Return(frame);
            }
        });

        await capture.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        await consumer.WaitAsync(TimeSpan.FromSeconds(10));

        capture.State.Should().Be(CameraState.Ended);
        capture.Counters.FramesReceived.Should().Be(60);
    }

    [Fact]
    public async Task The_pipe_from_ffmpeg_holds_a_whole_frame()
    {
        // 224x224 RGB is 150,528 bytes, more than a default 64 KiB pipe.
        var clip = FfmpegTool.Generate(_temp.Combine("frame.mkv"), "testsrc2=size=224x224:rate=10:duration=1");
        var capture = new CameraCapture("camera pipe", new CameraOptions
        {
            Input = clip, Width = 224, Height = 224, MaxFps = 0, ReadAtNativeRate = false,
        }, _logger);
        var run = capture.RunAsync(CancellationToken.None);

        var frame = await capture.Frames.TakeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        capture.PipeCapacity.Should().BeGreaterThanOrEqualTo(224 * 224 * 3);
        capture.Frames.Return(frame!);
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Frames_hold_the_picture_ffmpeg_decodes()
    {
        var clip = FfmpegTool.Generate(_temp.Combine("still.mkv"), "color=c=0x3366CC:size=64x48:rate=5:duration=1");
        var capture = new CameraCapture("camera colour", new CameraOptions
        {
            Input = clip, Width = 32, Height = 24, MaxFps = 0, ReadAtNativeRate = false, PixelFormat = CameraPixelFormat.Bgr24,
        }, _logger);
        var run = capture.RunAsync(CancellationToken.None);

        var frame = await capture.Frames.TakeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var pixel = frame!.Pixels.Slice(((12 * 32) + 16) * 3, 3).ToArray();
        capture.Frames.Return(frame);
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        // BGR order, within the rounding of a yuv420p round trip.
        pixel[0].Should().BeInRange(0xCC - 6, 0xCC + 6);
        pixel[1].Should().BeInRange(0x66 - 6, 0x66 + 6);
        pixel[2].Should().BeInRange(0x33 - 6, 0x33 + 6);
    }

    [Fact]
    public async Task A_looped_file_keeps_streaming_past_its_end()
    {
        var clip = FfmpegTool.Generate(_temp.Combine("short.mkv"), "testsrc2=size=160x120:rate=10:duration=0.5");
        var capture = new CameraCapture("camera loop", new CameraOptions
        {
            Input = clip, Loop = true, Width = 32, Height = 32, MaxFps = 0, ReadAtNativeRate = false, PixelFormat = CameraPixelFormat.Gray,
        }, _logger);
        using var cancel = new CancellationTokenSource();
        var run = capture.RunAsync(cancel.Token);

        await Poll.UntilAsync(() => capture.Counters.FramesReceived > 30, TimeSpan.FromSeconds(30), "frames beyond one pass of the file");
        capture.State.Should().Be(CameraState.Streaming);
        await cancel.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));

        capture.State.Should().Be(CameraState.Stopped);
        capture.Counters.Restarts.Should().Be(0);
        (await capture.Frames.TakeAsync()).Should().NotBeNull("the last frame stays for the consumer");
        (await capture.Frames.TakeAsync()).Should().BeNull();
    }

    [Fact]
    public async Task A_resolution_change_mid_stream_still_yields_frames_of_the_configured_size()
    {
        var first = FfmpegTool.Generate(_temp.Combine("a.ts"), "testsrc2=size=320x240:rate=10:duration=1", "mpeg2video");
        var second = FfmpegTool.Generate(_temp.Combine("b.ts"), "testsrc2=size=176x144:rate=10:duration=1", "mpeg2video");
        var joined = _temp.Combine("joined.ts");
        await using (var output = File.Create(joined))
        {
            foreach (var part in (string[])[first, second])
            {
                await using var input = File.OpenRead(part);
                await input.CopyToAsync(output);
            }
        }

        var capture = new CameraCapture("camera resize", new CameraOptions
        {
            Input = joined, Width = 100, Height = 60, MaxFps = 0, ReadAtNativeRate = false,
        }, _logger);

        await capture.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        capture.State.Should().Be(CameraState.Ended);
        capture.Counters.FramesReceived.Should().BeInRange(18, 22);
        capture.Counters.PartialFrames.Should().Be(0);
    }

    [Fact]
    public async Task A_truncated_file_gives_the_frames_it_has_and_ends_without_a_crash()
    {
        var clip = FfmpegTool.Generate(_temp.Combine("long.ts"), "testsrc2=size=320x240:rate=10:duration=4", "mpeg2video");
        var bytes = await File.ReadAllBytesAsync(clip);
        var truncated = _temp.Combine("truncated.ts");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        var capture = new CameraCapture("camera truncated", new CameraOptions
        {
            Input = truncated, Width = 64, Height = 48, MaxFps = 0, ReadAtNativeRate = false, RestartBackoffMinSeconds = 0.1, RestartBackoffMaxSeconds = 0.2,
        }, _logger);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await capture.RunAsync(cancel.Token);

        capture.Counters.FramesReceived.Should().BeInRange(5, 39);
        capture.State.Should().Be(CameraState.Ended);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_short_final_read_is_discarded_and_counted()
    {
        // Stands in for an ffmpeg killed mid-write: two whole 16x16 grey frames, then half of a third.
        var script = _temp.Write("short-ffmpeg.sh", "#!/bin/sh\nhead -c 640 /dev/zero\nexit 0\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var capture = new CameraCapture("camera short", new CameraOptions
        {
            Input = _temp.Combine("any.mkv"), FfmpegPath = script, Width = 16, Height = 16, PixelFormat = CameraPixelFormat.Gray,
        }, _logger);

        await capture.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        capture.Counters.Should().Be(new CameraCounters(2, 1, 1, 0, 0, 0, CameraState.Ended));
        _logger.Contains("discarded a partial frame of 128 of 256 bytes").Should().BeTrue();
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_warning_repeated_per_frame_is_logged_once_and_counted()
    {
        var script = _temp.Write("chatty-ffmpeg.sh",
            "#!/bin/sh\nfor i in $(seq 1 50); do echo \"[swscaler @ 0x55$i] deprecated pixel format used\" >&2; done\necho 'Conversion failed!' >&2\nexit 1\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var capture = new CameraCapture("camera chatty", new CameraOptions
        {
            Input = "/dev/video0", FfmpegPath = script, RestartBackoffMinSeconds = 30, RestartBackoffMaxSeconds = 30,
        }, _logger);
        using var cancel = new CancellationTokenSource();
        var run = capture.RunAsync(cancel.Token);

        await Poll.UntilAsync(() => capture.Counters.Restarts >= 1, TimeSpan.FromSeconds(30), "the script ran");
        await cancel.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));

        _logger.Lines.Count(l => l.Message.Contains("deprecated pixel format", StringComparison.Ordinal)).Should().Be(1);
        _logger.Contains("previous line repeated 49 more times").Should().BeTrue();
        _logger.Contains("Conversion failed!").Should().BeTrue();
    }

    [Fact]
    public async Task A_wrong_device_path_is_reported_counted_and_retried()
    {
        var capture = new CameraCapture("camera missing", new CameraOptions
        {
            Input = "/dev/video-edgeagent-missing", RestartBackoffMinSeconds = 0.05, RestartBackoffMaxSeconds = 0.1,
        }, _logger);
        using var cancel = new CancellationTokenSource();
        var run = capture.RunAsync(cancel.Token);

        await Poll.UntilAsync(() => capture.Counters.Restarts >= 2, TimeSpan.FromSeconds(30), "restarts after a failing open");
        var health = capture.Check(0);
        await cancel.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));

        health.State.Should().Be(HealthState.Degraded);
        health.Summary.Should().Contain("video-edgeagent-missing");
        capture.Counters.FramesReceived.Should().Be(0);
        _logger.Contains("exited with code").Should().BeTrue();
    }

    [Fact]
    public async Task A_missing_ffmpeg_is_a_clear_failure_not_a_crash()
    {
        var capture = new CameraCapture("camera noffmpeg", new CameraOptions
        {
            Input = "/dev/video0", FfmpegPath = _temp.Combine("no-such-ffmpeg"), RestartBackoffMinSeconds = 0.05, RestartBackoffMaxSeconds = 0.1,
        }, _logger);
        using var cancel = new CancellationTokenSource();
        var run = capture.RunAsync(cancel.Token);

        await Poll.UntilAsync(() => capture.Counters.StartFailures >= 2, TimeSpan.FromSeconds(30), "start failures counted");
        var state = capture.State;
        var health = capture.Check(0);
        await cancel.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));

        state.Should().BeOneOf(CameraState.Failed, CameraState.Starting);
        health.State.Should().Be(HealthState.Degraded);
        health.Summary.Should().Contain("no-such-ffmpeg").And.Contain("camera.ffmpegPath");
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_child_does_not_inherit_the_systemd_notify_socket_or_watchdog()
    {
        var envFile = _temp.Combine("env.txt");
        // Appended, not truncated: the restart that follows may be writing it again while the test reads it.
        var script = _temp.Write("fake-ffmpeg.sh", $"#!/bin/sh\nenv >> '{envFile}'\necho 'fake ffmpeg: giving up' >&2\nexit 3\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", "/run/edgeagent-test-notify");
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", "1000000");
        try
        {
            var capture = new CameraCapture("camera env", new CameraOptions
            {
                Input = "/dev/video0", FfmpegPath = script, RestartBackoffMinSeconds = 0.05, RestartBackoffMaxSeconds = 0.1,
            }, _logger);
            using var cancel = new CancellationTokenSource();
            var run = capture.RunAsync(cancel.Token);
            await Poll.UntilAsync(() => capture.Counters.Restarts >= 1, TimeSpan.FromSeconds(30), "the fake ffmpeg ran");
            var health = capture.Check(0);
            await cancel.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(15));

            var environment = await File.ReadAllTextAsync(envFile);
            environment.Should().NotContain("NOTIFY_SOCKET").And.NotContain("WATCHDOG_");
            environment.Should().Contain("PATH=");
            health.Summary.Should().Contain("fake ffmpeg: giving up");
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
            Environment.SetEnvironmentVariable("WATCHDOG_USEC", null);
        }
    }
}
