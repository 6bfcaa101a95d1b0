using System.Text.Json;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Camera.Snapshots;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera.Snapshots;

/// <summary>Thumbnails made by the real ffmpeg from real snapshot JPEGs, published beside the event or skipped over the cap.</summary>
public sealed class SnapshotThumbnailsTests : IDisposable
{
    private readonly TempDirectory _temp = new("edgeagent-thumbnail");
    private readonly RecordingQueue _queue = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_snapshot_gets_a_thumbnail_of_the_configured_width_on_the_events_companion_topic_naming_its_alert()
    {
        var snapshot = Jpeg("testsrc2=size=1280x720", 1280, 720);
        var thumbnails = new SnapshotThumbnails("ffmpeg", width: 240, maxBytes: 32768, quality: 5, _queue, "dev", "yard");
        var alert = Guid.NewGuid();
        var time = new DateTimeOffset(2026, 12, 7, 0, 30, 0, TimeSpan.Zero);

        var message = await thumbnails.PublishAsync(snapshot, time, alert, CancellationToken.None);

        message.Should().NotBeNull(thumbnails.LastError);
        var sent = _queue.Messages.Should().ContainSingle().Subject;
        sent.Topic.Should().Be("events/yard/thumbnail");
        sent.Options.Should().Be(MessageOptions.Event);
        sent.Payload.Length.Should().BeLessThanOrEqualTo(32768);
        var json = JsonDocument.Parse(sent.Payload).RootElement;
        json.GetProperty("type").GetString().Should().Be("thumbnail");
        json.GetProperty("alertId").GetGuid().Should().Be(alert);
        json.GetProperty("id").GetGuid().Should().NotBe(alert);
        json.GetProperty("ts").GetDateTime().Should().Be(time.UtcDateTime);
        json.GetProperty("pipeline").GetString().Should().Be("yard");
        var jpeg = json.GetProperty("jpeg").GetBytesFromBase64();
        json.GetProperty("bytes").GetInt32().Should().Be(jpeg.Length);
        var path = _temp.Combine("thumbnail.jpg");
        await File.WriteAllBytesAsync(path, jpeg);
        FfmpegTool.Probe("-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", path).Trim().Should().Be("mjpeg,240,136",
            "the width is the configured one and the aspect ratio the snapshot's (even height)");
        thumbnails.Published.Should().Be(1);
    }

    [Fact]
    public async Task A_thumbnail_over_the_payload_cap_is_not_published_but_counted()
    {
        // Noise does not compress: a 640 px thumbnail of it is far over 4 KiB.
        var snapshot = Jpeg("nullsrc=size=640x480,geq=random(1)*255:128:128", 640, 480);
        var thumbnails = new SnapshotThumbnails("ffmpeg", width: 640, maxBytes: 4096, quality: 2, _queue, "dev", "yard");

        (await thumbnails.PublishAsync(snapshot, DateTimeOffset.UtcNow, Guid.NewGuid(), CancellationToken.None)).Should().BeNull();

        _queue.Messages.Should().BeEmpty();
        thumbnails.Oversized.Should().Be(1);
        thumbnails.Published.Should().Be(0);
        thumbnails.LastError.Should().Contain("thumbnailMaxBytes (4096)");
    }

    [Fact]
    public async Task A_thumbnail_that_cannot_be_made_is_counted_and_the_snapshot_is_still_kept()
    {
        var thumbnails = new SnapshotThumbnails("ffmpeg", width: 160, maxBytes: 32768, quality: 5, _queue, "dev", "yard");
        var writer = new SnapshotWriter(_temp.Combine("snapshots"), keep: 3, thumbnails: thumbnails);
        var notJpeg = "not a JPEG at all"u8.ToArray();

        var snapshot = await writer.SaveAsync(notJpeg, DateTimeOffset.UtcNow, Guid.NewGuid(), CancellationToken.None);

        File.Exists(snapshot.Path).Should().BeTrue();
        thumbnails.Failed.Should().Be(1);
        thumbnails.LastError.Should().Contain("ffmpeg");
        _queue.Messages.Should().BeEmpty();
    }

    private byte[] Jpeg(string lavfi, int width, int height)
    {
        var path = _temp.Combine($"snapshot-{width}x{height}.jpg");
        FfmpegTool.Run("-f", "lavfi", "-i", lavfi, "-frames:v", "1", "-q:v", "2", path);
        FfmpegTool.Probe("-show_entries", "stream=width,height", "-of", "csv=p=0", path).Trim().Should().Be($"{width},{height}");
        return File.ReadAllBytes(path);
    }
}
