using System.Globalization;
using EdgeAgent.Pipelines.Camera.Recording;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera.Recording;

/// <summary>Clips joined by the real ffmpeg from real 1 s H.264 segments laid out as the ring names them.</summary>
public sealed class ClipRecorderTests : IDisposable
{
    private readonly TempDirectory _temp = new("edgeagent-clips");
    private readonly RecordingQueue _queue = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_event_becomes_one_mp4_of_the_segments_from_pre_before_its_start_to_post_after_its_end_and_is_announced()
    {
        var first = WholeSecond(DateTime.UtcNow.AddSeconds(-8));
        var ring = Ring(first, count: 8);
        var clips = new ClipRecorder(_temp.Combine("clips"), ring, new ClipOptions { PreSeconds = 1, PostSeconds = 1, UrlPrefix = "file:///clips/" },
            "ffmpeg", _queue, "dev", "cam");
        var id = Guid.NewGuid();

        var writing = clips.Started(id, first.AddSeconds(3.5), CancellationToken.None);
        clips.Ended(first.AddSeconds(4.5));
        var clip = await writing.WaitAsync(TimeSpan.FromSeconds(60));

        clip.Should().NotBeNull(clips.LastError);
        clip!.Path.Should().Be(_temp.Combine("clips", id + ".mp4"));
        // Segments 2..5 hold 2.5 s .. 5.5 s: four of them.
        var seconds = double.Parse(FfmpegTool.Probe("-show_entries", "format=duration", "-of", "csv=p=0", clip.Path).Trim(), CultureInfo.InvariantCulture);
        seconds.Should().BeApproximately(4, 0.3);
        (clip.Start - first).TotalSeconds.Should().BeApproximately(2, 0.01);
        (clip.End - first).TotalSeconds.Should().BeApproximately(6, 0.01);
        var announced = _queue.Events("clip").Should().ContainSingle().Subject;
        announced.GetProperty("alertId").GetGuid().Should().Be(id);
        announced.GetProperty("id").GetGuid().Should().NotBe(id, "every message has an id of its own");
        announced.GetProperty("path").GetString().Should().Be(clip.Path);
        announced.GetProperty("url").GetString().Should().Be("file:///clips/" + id + ".mp4");
        clips.Written.Should().Be(1);
        Directory.GetFiles(_temp.Combine("clips")).Should().ContainSingle("the concat list and partial file are removed");
    }

    [Fact]
    public async Task A_clip_that_cannot_be_written_is_dropped_and_counted_and_nothing_is_announced()
    {
        var first = WholeSecond(DateTime.UtcNow.AddSeconds(-4));
        var ring = Ring(first, count: 4);
        File.WriteAllText(_temp.Combine("full"), "stands in for a disk that refuses writes");
        var clips = new ClipRecorder(_temp.Combine("full", "clips"), ring, new ClipOptions { PreSeconds = 0, PostSeconds = 0 }, "ffmpeg", _queue, "dev", "cam");

        var writing = clips.Started(Guid.NewGuid(), first.AddSeconds(1), CancellationToken.None);
        clips.Ended(first.AddSeconds(2));

        (await writing.WaitAsync(TimeSpan.FromSeconds(60))).Should().BeNull();
        clips.Dropped.Should().Be(1);
        clips.LastError.Should().NotBeEmpty();
        _queue.Messages.Should().BeEmpty();
    }

    [Fact]
    public void Clips_over_the_size_cap_or_older_than_keep_days_are_deleted_oldest_first()
    {
        var directory = _temp.Combine("prune");
        Directory.CreateDirectory(directory);
        var now = DateTime.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            var path = Path.Combine(directory, $"{i}.mp4");
            File.WriteAllBytes(path, new byte[512 * 1024]);
            File.SetLastWriteTimeUtc(path, now.AddHours(-i * 30));
        }

        var clips = new ClipRecorder(directory, new SegmentRing(_temp.Combine("ring"), new RecordingOptions()), new ClipOptions { MaxMegabytes = 1, KeepDays = 4 },
            "ffmpeg", _queue, "dev", "cam");
        clips.Prune(now);

        Directory.GetFiles(directory).Select(Path.GetFileName).Order().Should().Equal("0.mp4", "1.mp4");
        clips.Deleted.Should().Be(3);
    }

    private static DateTime WholeSecond(DateTime time) => DateTime.UnixEpoch.AddSeconds(Math.Floor((time - DateTime.UnixEpoch).TotalSeconds));

    /// <summary>1 s segments named and dated as the ring's ffmpeg leaves them, the first starting at <paramref name="first"/>.</summary>
    private SegmentRing Ring(DateTime first, int count)
    {
        var source = FfmpegTool.Generate(_temp.Combine("source.mkv"), $"testsrc2=size=160x120:rate=10:duration={count}", "libx264");
        var directory = _temp.Combine("ring");
        Directory.CreateDirectory(directory);
        for (var i = 0; i < count; i++)
        {
            var start = first.AddSeconds(i);
            var path = Path.Combine(directory, ((long)(start - DateTime.UnixEpoch).TotalSeconds).ToString(CultureInfo.InvariantCulture) + SegmentRing.Extension);
            FfmpegTool.Run("-ss", i.ToString(CultureInfo.InvariantCulture), "-t", "1", "-i", source, "-c:v", "libx264", "-g", "10", "-f", "mpegts", path);
            File.SetLastWriteTimeUtc(path, start.AddSeconds(1));
        }

        // A segment started after the last one, as a running ffmpeg would have: the covering segments are closed.
        File.WriteAllBytes(Path.Combine(directory, ((long)(first.AddSeconds(count) - DateTime.UnixEpoch).TotalSeconds).ToString(CultureInfo.InvariantCulture) + SegmentRing.Extension), []);
        return new SegmentRing(directory, new RecordingOptions { Enabled = true, SegmentSeconds = 1 });
    }
}
