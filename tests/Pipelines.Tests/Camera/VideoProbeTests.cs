using EdgeAgent.Pipelines.Camera;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

public sealed class VideoProbeTests
{
    [Fact]
    public void A_real_file_gives_its_frame_rate_and_creation_time()
    {
        using var dir = new Support.TempDirectory("video-probe");
        var path = dir.Combine("clip.mkv");
        FfmpegTool.Run("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=12.5:duration=1", "-metadata", "creation_time=2025-06-01T08:30:00Z", "-c:v", "ffv1", path);

        var probe = VideoProbe.Run("ffmpeg", path);

        probe.FramesPerSecond.Should().Be(12.5);
        probe.CreationTimeUtc.Should().Be(new DateTime(2025, 6, 1, 8, 30, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void Missing_values_and_a_missing_ffprobe_are_nulls()
    {
        VideoProbe.Parse("avg_frame_rate=0/0\n").Should().Be(new VideoProbe(null, null));
        VideoProbe.Run("/nonexistent/ffmpeg", "x.mkv").Should().Be(new VideoProbe(null, null));
    }
}
