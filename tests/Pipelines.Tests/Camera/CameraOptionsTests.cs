using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Configuration;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

public sealed class CameraOptionsTests
{
    [Theory]
    [InlineData("/dev/video2", CameraInputKind.Device)]
    [InlineData("rtsp://cam/stream", CameraInputKind.Rtsp)]
    [InlineData("RTSPS://cam/stream", CameraInputKind.Rtsp)]
    [InlineData("http://127.0.0.1:8080/video.mjpg", CameraInputKind.Http)]
    [InlineData("recordings/door.mp4", CameraInputKind.File)]
    public void Input_kind_follows_the_scheme(string input, CameraInputKind kind) =>
        CameraOptions.KindOf(input).Should().Be(kind);

    [Fact]
    public void Defaults_with_an_input_are_valid()
    {
        var errors = Validate(new CameraOptions { Input = "/dev/video0" });

        errors.Should().BeEmpty();
    }

    [Fact]
    public void Every_cross_field_mistake_is_reported_with_its_path()
    {
        var options = new CameraOptions
        {
            Input = "ftp://cam/x", Loop = true, RestartBackoffMinSeconds = 30, RestartBackoffMaxSeconds = 5, DeviceWidth = 640,
            Width = 32, Motion = { Enabled = true, Downscale = 16 },
        };

        var errors = Validate(options).Select(e => e.Path).ToList();

        errors.Should().BeEquivalentTo(
            "pipelines[0].camera.input", "pipelines[0].camera.restartBackoffMinSeconds", "pipelines[0].camera.deviceWidth",
            "pipelines[0].camera.motion.downscale");
        Validate(new CameraOptions { Input = "rtsp://cam/x", Loop = true }).Should().ContainSingle(e => e.Path == "pipelines[0].camera.loop");
        Validate(new CameraOptions()).Should().ContainSingle(e => e.Path == "pipelines[0].camera.input" && e.Message.Contains("/dev/video0"));
    }

    [Fact]
    public void Frame_size_counts_channels()
    {
        new CameraOptions { Width = 10, Height = 4 }.FrameBytes.Should().Be(120);
        new CameraOptions { Width = 10, Height = 4, PixelFormat = CameraPixelFormat.Gray }.FrameBytes.Should().Be(40);
    }

    [Fact]
    public void A_recording_ring_too_short_for_the_longest_clip_is_an_error_naming_what_it_must_cover()
    {
        var options = new CameraOptions { Input = "rtsp://cam/x" };
        options.Recording.Enabled = true;
        options.Recording.MaxAgeSeconds = 30;
        options.Clips.MaxSeconds = 60;

        Validate(options).Should().ContainSingle(e => e.Path == "pipelines[0].camera.recording.maxAgeSeconds" && e.Message.Contains("74"));

        options.Recording.MaxAgeSeconds = 74;
        Validate(options).Should().BeEmpty();
        options.Recording.Enabled = false;
        options.Recording.MaxAgeSeconds = 30;
        Validate(options).Should().BeEmpty("without recording there are no clips to cover");
    }

    private static List<ConfigError> Validate(CameraOptions options)
    {
        var errors = new List<ConfigError>();
        options.Validate("pipelines[0].camera", errors);
        return errors;
    }
}
