using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Scoring;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

public sealed class FfmpegArgumentsTests
{
    [Fact]
    public void Device_input_asks_v4l2_for_size_format_and_rate_and_scales_to_the_output()
    {
        var options = new CameraOptions
        {
            Input = "/dev/video0", DeviceWidth = 1280, DeviceHeight = 720, DeviceFormat = "mjpeg", DeviceFps = 30,
            Width = 224, Height = 224, MaxFps = 2.5, DecoderArguments = ["-hwaccel", "v4l2m2m"],
        };

        var args = FfmpegArguments.Capture(options);

        string.Join(' ', args).Should().Be(
            "-hide_banner -nostdin -loglevel warning -hwaccel v4l2m2m -f v4l2 -input_format mjpeg -video_size 1280x720 -framerate 30 " +
            "-i /dev/video0 -an -sn -dn -vf fps=2.5,scale=224:224:flags=bilinear -fps_mode passthrough -f rawvideo -pix_fmt rgb24 -s 224x224 pipe:1");
    }

    [Fact]
    public void Rtsp_uses_tcp_and_the_url_stays_one_argument()
    {
        var url = "rtsp://user:p a'ss@127.0.0.1:8554/live stream";
        var args = FfmpegArguments.Capture(new CameraOptions { Input = url, PixelFormat = CameraPixelFormat.Gray, MaxFps = 0 });

        args.Should().ContainInOrder("-rtsp_transport", "tcp", "-i", url);
        args.Should().ContainInOrder("-vf", "scale=640:480:flags=bilinear");
        args.Should().ContainInOrder("-pix_fmt", "gray");
        args.Should().NotContain("-stream_loop");
    }

    [Fact]
    public void Looped_file_is_read_at_native_rate_forever()
    {
        var args = FfmpegArguments.Capture(new CameraOptions { Input = "/data/clip.mp4", Loop = true, PixelFormat = CameraPixelFormat.Bgr24 });

        args.Should().ContainInOrder("-re", "-stream_loop", "-1", "-i", "/data/clip.mp4");
        args.Should().ContainInOrder("-pix_fmt", "bgr24", "-s", "640x480", "pipe:1");
        args.Should().NotContain("-rtsp_transport");
    }

    [Fact]
    public void Snapshot_draws_one_box_per_detection_in_pixels()
    {
        var boxes = new[] { new Detection(0.25f, 0.5f, 0.75f, 1f, 0.9f, 0) };

        var args = FfmpegArguments.Snapshot(320, 240, CameraPixelFormat.Rgb24, boxes, 5, "pipe:1");

        args.Should().ContainInOrder("-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "320x240", "-i", "pipe:0");
        args.Should().ContainInOrder("-vf", "drawbox=x=80:y=120:w=160:h=120:color=red@0.9:t=2");
        args.Should().ContainInOrder("-frames:v", "1").And.EndWith("pipe:1");
    }
}
