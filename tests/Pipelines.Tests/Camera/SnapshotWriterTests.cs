using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

public sealed class SnapshotWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new("edgeagent-snapshot");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_frame_becomes_a_jpeg_of_the_frame_size_with_the_boxes_drawn()
    {
        var frame = RawFrame("color=c=0x808080:size=320x240:duration=0.1");
        var writer = new SnapshotWriter(_temp.Combine("snapshots", "door"), keep: 5, quality: 2);
        Detection[] boxes = [new Detection(0.25f, 0.25f, 0.75f, 0.75f, 0.9f, 0)];

        var snapshot = await writer.WriteAsync(frame, 320, 240, CameraPixelFormat.Rgb24, boxes, DateTimeOffset.UtcNow);

        snapshot.Jpeg[..2].Should().Equal(0xFF, 0xD8);
        (await File.ReadAllBytesAsync(snapshot.Path)).Should().Equal(snapshot.Jpeg);
        FfmpegTool.Probe("-select_streams", "v:0", "-show_entries", "stream=width,height,codec_name", "-of", "csv=p=0", snapshot.Path)
            .Trim().Should().Be("mjpeg,320,240");
        var decoded = DecodeJpeg(snapshot.Path);
        Pixel(decoded, 80, 120)[0].Should().BeGreaterThan(200, "the left edge of the box is red");
        Pixel(decoded, 80, 120)[1].Should().BeLessThan(60);
        Pixel(decoded, 160, 120).Should().OnlyContain(v => v > 110 && v < 150, "the inside of the box is the grey frame");
    }

    [Fact]
    public async Task Only_the_newest_k_snapshots_are_kept()
    {
        var frame = RawFrame("testsrc2=size=64x48:duration=0.1", 64, 48);
        var writer = new SnapshotWriter(_temp.Combine("keep"), keep: 2);
        var start = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var paths = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            paths.Add((await writer.WriteAsync(frame, 64, 48, CameraPixelFormat.Rgb24, [], start.AddSeconds(i))).Path);
        }

        Directory.GetFiles(_temp.Combine("keep")).Select(Path.GetFileName).Should().BeEquivalentTo(paths.Skip(2).Select(Path.GetFileName));
        Path.GetFileName(paths[0]).Should().StartWith("20260102T030405.000Z");
    }

    [Fact]
    public async Task A_broken_encoder_is_an_error_naming_ffmpeg()
    {
        var writer = new SnapshotWriter(_temp.Combine("broken"), keep: 2, ffmpegPath: "false");

        await FluentActions.Awaiting(() => writer.WriteAsync(new byte[12], 2, 2, CameraPixelFormat.Rgb24, [], DateTimeOffset.UtcNow))
            .Should().ThrowAsync<IOException>().WithMessage("*ffmpeg could not encode*");
        Directory.Exists(_temp.Combine("broken")).Should().BeFalse();
    }

    private byte[] RawFrame(string lavfi, int width = 320, int height = 240)
    {
        var path = _temp.Combine($"frame-{width}x{height}.rgb");
        FfmpegTool.Run("-f", "lavfi", "-i", lavfi, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", path);
        var bytes = File.ReadAllBytes(path);
        bytes.Length.Should().Be(width * height * 3);
        return bytes;
    }

    private byte[] DecodeJpeg(string jpeg)
    {
        var path = _temp.Combine("decoded.rgb");
        FfmpegTool.Run("-i", jpeg, "-f", "rawvideo", "-pix_fmt", "rgb24", path);
        return File.ReadAllBytes(path);
    }

    private static byte[] Pixel(byte[] rgb, int x, int y) => rgb[(((y * 320) + x) * 3)..((((y * 320) + x) * 3) + 3)];
}
