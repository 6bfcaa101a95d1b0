using System.Globalization;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Camera.Recording;
using EdgeAgent.Pipelines.Camera.Snapshots;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera.Recording;

/// <summary>
/// recording.codec per camera kind. The copy path is covered end to end by the H.264 recording test; here the mjpeg
/// (store as is) and libx264 (encode) paths run through the real capture ffmpeg, with ffmpeg's testsrc standing in
/// for a V4L2 camera (no /dev/video device exists on the test machine): an MJPEG file for an MJPEG camera, a raw
/// (ffv1, lossless) file for a camera that delivers raw frames.
/// </summary>
public sealed class SegmentEncodingTests : IDisposable
{
    private readonly TempDirectory _temp = new("edgeagent-encoding");
    private readonly RecordingLogger _logger = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Each_codec_has_its_ffmpeg_arguments()
    {
        SegmentEncoding.VideoArguments("copy", 2).Should().Equal("-c:v", "copy");
        SegmentEncoding.VideoArguments("mjpeg", 2).Should().Equal("-c:v", "copy");
        SegmentEncoding.VideoArguments("h264_v4l2m2m", 2).Should().Equal(
            "-c:v", "h264_v4l2m2m", "-pix_fmt", "yuv420p", "-b:v", "4M", "-force_key_frames", "expr:gte(t,n_forced*2)");
        SegmentEncoding.VideoArguments("libx264", 1.5).Should().Equal(
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-force_key_frames", "expr:gte(t,n_forced*1.5)");
        FluentActions.Invoking(() => SegmentEncoding.VideoArguments("h265", 2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*copy, mjpeg*");

        SegmentEncoding.SegmentArguments("mjpeg", 2, "/r").Should().Equal(
            "-f", "segment", "-segment_time", "2", "-segment_format", "matroska", "-reset_timestamps", "1", "-strftime", "1", "/r/%s.mkv");
        SegmentEncoding.SegmentArguments("libx264", 2, "/r").Should().ContainInOrder("-segment_format", "mpegts").And.EndWith("/r/%s.ts");
        new SegmentRing("/r", new RecordingOptions { Codec = "mjpeg" }).SegmentExtension.Should().Be(".mkv");
    }

    [Fact]
    public void An_encoder_missing_from_the_ffmpeg_build_is_named_at_start_up()
    {
        // This machine's ffmpeg (Debian's) lists both encoders; a build without them is the error case.
        SegmentEncoding.Unavailable("ffmpeg", "libx264").Should().BeNull();
        SegmentEncoding.Unavailable("ffmpeg", "h264_v4l2m2m").Should().BeNull();
        SegmentEncoding.Unavailable("ffmpeg", "copy").Should().BeNull("copy needs no encoder");
        SegmentEncoding.Unavailable("ffmpeg", "h264_nonexistent").Should().Contain("has no h264_nonexistent encoder");
        SegmentEncoding.Unavailable("/nonexistent/ffmpeg", "libx264").Should().BeNull("a missing ffmpeg is the capture's to report");
    }

    [Theory]
    [InlineData("copy", "", "deviceFormat: h264")]
    [InlineData("copy", "yuyv422", "delivers 'yuyv422'")]
    [InlineData("mjpeg", "yuyv422", "set deviceFormat: mjpeg")]
    [InlineData("mjpeg", "", "set deviceFormat: mjpeg")]
    public void A_v4l2_codec_that_does_not_fit_the_device_format_is_a_start_up_error_naming_the_fix(string codec, string format, string message)
    {
        var options = new CameraOptions { Input = "/dev/video0", DeviceFormat = format };
        options.Recording.Enabled = true;
        options.Recording.Codec = codec;

        Validate(options).Should().ContainSingle(e => e.Path == "pipelines[0].camera.recording.codec" && e.Message.Contains(message));
    }

    [Theory]
    [InlineData("/dev/video0", "h264", "copy")]
    [InlineData("/dev/video0", "mjpeg", "mjpeg")]
    [InlineData("/dev/video0", "yuyv422", "h264_v4l2m2m")]
    [InlineData("/dev/video0", "", "libx264")]
    [InlineData("rtsp://cam/x", "", "copy")]
    [InlineData("http://cam/video.mjpg", "", "mjpeg")]
    public void Each_camera_kind_has_a_valid_codec(string input, string format, string codec)
    {
        var options = new CameraOptions { Input = input, DeviceFormat = format };
        options.Recording.Enabled = true;
        options.Recording.Codec = codec;

        Validate(options).Should().BeEmpty();
    }

    [Fact]
    public async Task An_mjpeg_camera_is_stored_as_it_comes_and_gives_snapshots_and_clips()
    {
        var source = _temp.Combine("mjpeg-camera.mkv");
        FfmpegTool.Run("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10:duration=7", "-c:v", "mjpeg", "-q:v", "5", source);

        var ring = await RecordAsync(source, "mjpeg");

        var segment = ring.List()[0].Path;
        Path.GetExtension(segment).Should().Be(".mkv");
        FfmpegTool.Probe("-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", segment).Trim().Should().Be("mjpeg,320,240",
            "the camera's JPEG frames are kept, not re-encoded");
        await SnapshotAndClipAsync(ring, "mjpeg");
    }

    [Fact]
    public async Task A_raw_camera_is_encoded_with_libx264_and_gives_snapshots_and_clips()
    {
        var source = _temp.Combine("raw-camera.mkv");
        FfmpegTool.Run("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10:duration=7", "-c:v", "ffv1", source);

        var ring = await RecordAsync(source, "libx264");

        var segments = ring.List();
        Path.GetExtension(segments[0].Path).Should().Be(".ts");
        // MPEG-TS lists the stream under its program too: the first line is the stream's.
        FfmpegTool.Probe("-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", segments[0].Path).Trim().Split('\n')[0].Should().Be("h264,320,240");
        segments.Count.Should().BeGreaterThanOrEqualTo(3, "a keyframe is forced at every 2 s boundary of a 7 s stream");
        await SnapshotAndClipAsync(ring, "h264");
    }

    /// <summary>The real capture (model frames and ring from one ffmpeg) over the whole file at its native rate.</summary>
    private async Task<SegmentRing> RecordAsync(string source, string codec)
    {
        var options = new CameraOptions { Input = source, Width = 64, Height = 48, MaxFps = 5 };
        options.Recording.Enabled = true;
        options.Recording.Codec = codec;
        options.Recording.SegmentSeconds = 2;
        options.Recording.MinFreeMegabytes = 0;
        Validate(options).Should().BeEmpty();
        var ring = new SegmentRing(_temp.Combine("ring-" + codec), options.Recording);
        var capture = new CameraCapture("camera " + codec, options, _logger, ring);
        var consumer = Task.Run(async () =>
        {
            while (await capture.Frames.TakeAsync() is { } frame)
            {
                capture.Frames.Return(frame);
            }
        });

        await capture.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        await consumer.WaitAsync(TimeSpan.FromSeconds(10));
        capture.Counters.FramesReceived.Should().BeGreaterThan(20, string.Join('\n', _logger.Lines.Select(l => l.Message)));
        ring.List().Should().NotBeEmpty(string.Join('\n', _logger.Lines.Select(l => l.Message)));
        return ring;
    }

    private async Task SnapshotAndClipAsync(SegmentRing ring, string codecName)
    {
        var segments = ring.List();
        var middle = segments[0].Start + ((segments[^1].End - segments[0].Start) / 2);
        var snapshots = new FullFrameSnapshots(ring, "ffmpeg", maxWidth: 1920, quality: 3);
        var jpeg = await snapshots.EncodeAsync(middle, [], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var snapshot = _temp.Combine("snapshot-" + codecName + ".jpg");
        await File.WriteAllBytesAsync(snapshot, jpeg);
        FfmpegTool.Probe("-show_entries", "stream=width,height", "-of", "csv=p=0", snapshot).Trim().Should().Be("320,240");

        var queue = new RecordingQueue();
        var clips = new ClipRecorder(_temp.Combine("clips-" + codecName), ring, new ClipOptions { PreSeconds = 1, PostSeconds = 1 }, "ffmpeg", queue, "dev", "cam");
        var writing = clips.Started(Guid.NewGuid(), middle, CancellationToken.None);
        clips.Ended(middle.AddSeconds(1));
        var clip = await writing.WaitAsync(TimeSpan.FromSeconds(60));
        clip.Should().NotBeNull(clips.LastError);
        FfmpegTool.Probe("-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", clip!.Path).Trim().Should().Be(codecName + ",320,240");
        var seconds = double.Parse(FfmpegTool.Probe("-show_entries", "format=duration", "-of", "csv=p=0", clip.Path).Trim(), CultureInfo.InvariantCulture);
        seconds.Should().BeGreaterThanOrEqualTo(2.5, "1 s before, 1 s of event and 1 s after, cut at segment boundaries");
        queue.Events("clip").Should().ContainSingle();
    }

    private static List<ConfigError> Validate(CameraOptions options)
    {
        var errors = new List<ConfigError>();
        options.Validate("pipelines[0].camera", errors);
        return errors;
    }
}
