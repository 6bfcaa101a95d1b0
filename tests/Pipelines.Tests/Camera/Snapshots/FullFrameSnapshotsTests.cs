using System.Globalization;
using EdgeAgent.Pipelines.Camera.Recording;
using EdgeAgent.Pipelines.Camera.Snapshots;
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
}
