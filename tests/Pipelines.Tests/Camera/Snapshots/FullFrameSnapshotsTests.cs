using System.Globalization;
using EdgeAgent.Pipelines.Camera.Recording;
using EdgeAgent.Pipelines.Camera.Snapshots;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera.Snapshots;

/// <summary>A detector's box, labelled, drawn by the real ffmpeg on a frame cut from a real H.264 ring segment.</summary>
public sealed class FullFrameSnapshotsTests : IDisposable
{
    private readonly TempDirectory _temp = new("edgeagent-fullframe");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_detection_is_drawn_in_red_with_its_label_on_the_full_resolution_frame_scaled_to_the_maximum_width()
    {
        // A grey 1280x720 camera: red pixels can only come from the box and its label.
        var ring = new SegmentRing(_temp.Combine("ring"), new RecordingOptions { Enabled = true, SegmentSeconds = 2 });
        Directory.CreateDirectory(ring.Directory);
        var start = DateTime.UnixEpoch.AddSeconds(Math.Floor((DateTime.UtcNow.AddSeconds(-10) - DateTime.UnixEpoch).TotalSeconds));
        var segment = Path.Combine(ring.Directory, ((long)(start - DateTime.UnixEpoch).TotalSeconds).ToString(CultureInfo.InvariantCulture) + SegmentRing.Extension);
        FfmpegTool.Run("-f", "lavfi", "-i", "color=c=0x808080:size=1280x720:rate=10:duration=2", "-c:v", "libx264", "-g", "10", "-pix_fmt", "yuv420p", "-f", "mpegts", segment);
        File.SetLastWriteTimeUtc(segment, start.AddSeconds(2));
        File.WriteAllBytes(Path.Combine(ring.Directory, ((long)(start - DateTime.UnixEpoch).TotalSeconds + 2).ToString(CultureInfo.InvariantCulture) + SegmentRing.Extension), []);
        var snapshots = new FullFrameSnapshots(ring, "ffmpeg", maxWidth: 640, quality: 2);

        var jpeg = await snapshots.EncodeAsync(start.AddSeconds(1), [new SnapshotMark(0.25f, 0.25f, 0.75f, 0.75f, "person 0.87", SnapshotMarkKind.Detection)],
            CancellationToken.None);

        var path = _temp.Combine("snapshot.jpg");
        await File.WriteAllBytesAsync(path, jpeg);
        FfmpegTool.Probe("-show_entries", "stream=width,height", "-of", "csv=p=0", path).Trim().Should().Be("640,360");
        FfmpegTool.Run("-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", _temp.Combine("snapshot.rgb"));
        var rgb = File.ReadAllBytes(_temp.Combine("snapshot.rgb"));
        bool Red(int x, int y) => rgb[3 * ((y * 640) + x)] > 180 && rgb[(3 * ((y * 640) + x)) + 1] < 90;
        Red(161, 180).Should().BeTrue("the box's left edge is at 25 % of the width");
        Red(320, 180).Should().BeFalse("the inside of the box is the camera's picture");
        Red(320, 30).Should().BeFalse("above the label the picture is untouched");
        Enumerable.Range(165, 60).Count(x => Red(x, 80)).Should().BeGreaterThan(5, "the label sits on a red band above the box");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_heat_overlay_tints_the_high_scoring_patches_and_leaves_normal_ones_clear(bool heatOverlay)
    {
        var (ring, start) = GreySegment();
        var snapshots = new FullFrameSnapshots(ring, "ffmpeg", maxWidth: 640, quality: 2, heatOverlay);
        // A 64x48 model input of the 1280x720 frame, 4x3 patches of 16x16: patch (2, 1) scores 3 (three times the
        // threshold), patch (0, 0) 0.6 (just above half of it), the others 0.1.
        var scores = Enumerable.Repeat(0.1f, 12).ToArray();
        scores[(1 * 4) + 2] = 3f;
        scores[0] = 0.6f;
        var geometry = LetterboxGeometry.Compute(1280, 720, 64, 48, letterbox: false);
        var marks = new List<SnapshotMark>();
        SnapshotMarks.AddHeat(marks, scores, 4, 3, 64, 48, geometry, threshold: 1);
        SnapshotMarks.AddPatches(marks, scores, 4, 3, 64, 48, geometry, threshold: 1);
        marks.Count(m => m.Kind == SnapshotMarkKind.Heat).Should().Be(2, "patches under half the threshold get no heat");

        var rgb = await DecodeAsync(await snapshots.EncodeAsync(start.AddSeconds(1), marks, CancellationToken.None));

        // In the 640x360 snapshot patch (2, 1) spans x 320..480, y 120..240 and patch (0, 0) x 0..160, y 0..120.
        var hot = Pixel(rgb, 400, 180);
        var warm = Pixel(rgb, 80, 60);
        var normal = Pixel(rgb, 240, 300);
        Grey(normal).Should().BeTrue($"a normal patch is the camera's picture, got {Describe(normal)}");
        Pixel(rgb, 321, 180).Should().Match<byte[]>(p => p[0] > 170 && p[1] > 170 && p[2] < 110, "the patch above the threshold is still outlined in yellow");
        if (heatOverlay)
        {
            (hot[0] - hot[1]).Should().BeGreaterThan(90, $"the hottest patch is tinted red, got {Describe(hot)}");
            (hot[1] - hot[2]).Should().BeInRange(-12, 12, "full heat is red, not orange");
            (warm[0] - warm[2]).Should().BeInRange(25, 90, $"a warm patch is tinted lightly, got {Describe(warm)}");
            (warm[1] - warm[2]).Should().BeGreaterThan(15, "a warm patch is orange");
            Enumerable.Range(330, 140).All(x => Pixel(rgb, x, 130)[0] - Pixel(rgb, x, 130)[1] > 60).Should().BeTrue("the cell covers the whole patch");
            Grey(Pixel(rgb, 400, 250)).Should().BeTrue("the tint stops at the patch's lower edge");
            Grey(Pixel(rgb, 490, 180)).Should().BeTrue("the tint stops at the patch's right edge");
        }
        else
        {
            Grey(hot).Should().BeTrue($"without the overlay the patch is only outlined, got {Describe(hot)}");
            Grey(warm).Should().BeTrue();
        }
    }

    /// <summary>A closed 2 s grey 1280x720 H.264 segment in a ring, and the time it starts.</summary>
    private (SegmentRing Ring, DateTime Start) GreySegment()
    {
        var ring = new SegmentRing(_temp.Combine("heat-ring"), new RecordingOptions { Enabled = true, SegmentSeconds = 2 });
        Directory.CreateDirectory(ring.Directory);
        var start = DateTime.UnixEpoch.AddSeconds(Math.Floor((DateTime.UtcNow.AddSeconds(-10) - DateTime.UnixEpoch).TotalSeconds));
        var name = (long)(start - DateTime.UnixEpoch).TotalSeconds;
        var segment = Path.Combine(ring.Directory, name.ToString(CultureInfo.InvariantCulture) + SegmentRing.Extension);
        FfmpegTool.Run("-f", "lavfi", "-i", "color=c=0x808080:size=1280x720:rate=10:duration=2", "-c:v", "libx264", "-g", "10", "-pix_fmt", "yuv420p", "-f", "mpegts", segment);
        File.SetLastWriteTimeUtc(segment, start.AddSeconds(2));
        File.WriteAllBytes(Path.Combine(ring.Directory, (name + 2).ToString(CultureInfo.InvariantCulture) + SegmentRing.Extension), []);
        return (ring, start);
    }

    private async Task<byte[]> DecodeAsync(byte[] jpeg)
    {
        var path = _temp.Combine("heat.jpg");
        await File.WriteAllBytesAsync(path, jpeg);
        FfmpegTool.Probe("-show_entries", "stream=width,height", "-of", "csv=p=0", path).Trim().Should().Be("640,360");
        FfmpegTool.Run("-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", _temp.Combine("heat.rgb"));
        return File.ReadAllBytes(_temp.Combine("heat.rgb"));
    }

    private static byte[] Pixel(byte[] rgb, int x, int y) => rgb[(3 * ((y * 640) + x))..((3 * ((y * 640) + x)) + 3)];

    private static bool Grey(byte[] p) => Math.Abs(p[0] - 128) < 12 && Math.Abs(p[1] - 128) < 12 && Math.Abs(p[2] - 128) < 12;

    private static string Describe(byte[] p) => $"rgb({p[0]}, {p[1]}, {p[2]})";
}
