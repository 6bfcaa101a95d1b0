using System.Globalization;
using System.Text.Json;
using EdgeAgent.Pipelines.Events;

namespace EdgeAgent.Pipelines.Camera.Snapshots;

/// <summary>
/// The small picture of an event for a phone notification or a dashboard: each snapshot scaled down to
/// <c>snapshots.thumbnailWidth</c> by a one-shot ffmpeg and published on <c>events/&lt;pipeline&gt;/thumbnail</c>
/// (beside the event, not retained) as JSON naming the alert, with the JPEG in base64. A message over
/// <c>snapshots.thumbnailMaxBytes</c> (the payload cap brokers and phones accept) is not published, only counted; a
/// thumbnail that cannot be made is counted too. Neither touches the snapshot or the event.
/// </summary>
public sealed class SnapshotThumbnails
{
    private readonly string _ffmpegPath;
    private readonly int _width;
    private readonly int _maxBytes;
    private readonly int _quality;
    private readonly IOutboundQueue _queue;
    private readonly byte[] _topic;
    private readonly EventHeader _header;
    private long _published;
    private long _oversized;
    private long _failed;

    public SnapshotThumbnails(string ffmpegPath, int width, int maxBytes, int quality, IOutboundQueue queue, string deviceId, string pipeline)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        _ffmpegPath = ffmpegPath;
        _width = width;
        _maxBytes = maxBytes;
        _quality = quality;
        _queue = queue;
        _header = new EventHeader(deviceId, pipeline);
        _topic = MqttTopics.Thumbnail(pipeline);
    }

    public long Published => Interlocked.Read(ref _published);

    /// <summary>Thumbnails not published because the message would exceed thumbnailMaxBytes.</summary>
    public long Oversized => Interlocked.Read(ref _oversized);

    /// <summary>Thumbnails ffmpeg could not make.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public string LastError { get; private set; } = string.Empty;

    /// <summary>Scales <paramref name="jpeg"/> and publishes it; returns the message, or null when it was skipped (counted).</summary>
    public async Task<byte[]?> PublishAsync(byte[] jpeg, DateTimeOffset time, Guid? alertId, CancellationToken cancellationToken)
    {
        byte[] thumbnail;
        try
        {
            thumbnail = await FfmpegChild.RunAsync(_ffmpegPath, Arguments(), cancellationToken, jpeg).ConfigureAwait(false);
            if (thumbnail.Length == 0)
            {
                throw new IOException("ffmpeg wrote no thumbnail");
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Interlocked.Increment(ref _failed);
            LastError = ex.Message;
            return null;
        }

        var message = Message(thumbnail, time, alertId);
        if (message.Length > _maxBytes)
        {
            Interlocked.Increment(ref _oversized);
            LastError = $"thumbnail message of {message.Length} bytes exceeds snapshots.thumbnailMaxBytes ({_maxBytes}); lower thumbnailWidth or raise the cap";
            return null;
        }

        _queue.Enqueue(_topic, message, MessageOptions.Event);
        Interlocked.Increment(ref _published);
        return message;
    }

    internal IReadOnlyList<string> Arguments() =>
    [
        "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "image2pipe", "-c:v", "mjpeg", "-i", "pipe:0",
        // Never wider than the snapshot: a thumbnail is never scaled up.
        "-vf", string.Create(CultureInfo.InvariantCulture, $"scale='min(iw,{_width})':-2"),
        "-frames:v", "1", "-q:v", _quality.ToString(CultureInfo.InvariantCulture), "-f", "image2", "-c:v", "mjpeg", "pipe:1",
    ];

    private byte[] Message(byte[] thumbnail, DateTimeOffset time, Guid? alertId)
    {
        using var buffer = new MemoryStream(thumbnail.Length * 4 / 3 + 512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            _header.Open(writer, "thumbnail"u8, Guid.NewGuid(), alertId, time.UtcDateTime);
            writer.WriteString("contentType"u8, "image/jpeg"u8);
            writer.WriteNumber("bytes"u8, thumbnail.Length);
            writer.WriteBase64String("jpeg"u8, thumbnail);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
