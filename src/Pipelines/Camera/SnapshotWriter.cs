using System.Globalization;
using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// Encodes a raw frame as JPEG with a one-shot ffmpeg (raw pixels on stdin, JPEG on stdout), draws the detection
/// boxes, writes it to the snapshot directory and keeps only the newest <c>keep</c> files there. Runs on anomaly
/// starts only, so it may allocate; it copies the frame first, so the caller can return the frame at once.
/// </summary>
public sealed class SnapshotWriter
{
    private readonly string _ffmpegPath;
    private readonly int _keep;
    private readonly int _quality;
    private readonly SemaphoreSlim _fileLock = new(1, 1);
    private long _sequence;

    /// <param name="thumbnails">Publishes each snapshot's thumbnail beside the event (before the file is written, so a full disk does not stop it); null: none.</param>
    public SnapshotWriter(string directory, int keep, string ffmpegPath = "ffmpeg", int quality = 5, Snapshots.SnapshotThumbnails? thumbnails = null)
    {
        Thumbnails = thumbnails;
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        Directory = directory;
        _keep = keep;
        _ffmpegPath = ffmpegPath;
        _quality = quality;
    }

    public string Directory { get; }

    public Snapshots.SnapshotThumbnails? Thumbnails { get; }

    /// <summary>Copies the frame and starts encoding; the frame may be returned to its hand-off as soon as this returns.</summary>
    public Task<Snapshot> WriteAsync(CameraFrame frame, ReadOnlySpan<Detection> boxes, DateTimeOffset time, CancellationToken cancellationToken = default) =>
        WriteAsync(frame.Pixels, frame.Width, frame.Height, frame.Format, boxes, time, cancellationToken);

    /// <summary>As <see cref="WriteAsync(CameraFrame, ReadOnlySpan{Detection}, DateTimeOffset, CancellationToken)"/>, the file named after the event.</summary>
    public Task<Snapshot> WriteAsync(CameraFrame frame, ReadOnlySpan<Detection> boxes, DateTimeOffset time, Guid eventId, CancellationToken cancellationToken)
    {
        var arguments = FfmpegArguments.Snapshot(frame.Width, frame.Height, frame.Format, boxes, _quality, "pipe:1");
        return EncodeAsync(frame.Pixels.ToArray(), arguments, time, eventId, cancellationToken);
    }

    public Task<Snapshot> WriteAsync(
        ReadOnlySpan<byte> pixels, int width, int height, CameraPixelFormat format, ReadOnlySpan<Detection> boxes, DateTimeOffset time,
        CancellationToken cancellationToken = default)
    {
        var channels = format == CameraPixelFormat.Gray ? 1 : 3;
        if (pixels.Length != width * height * channels)
        {
            throw new ArgumentException($"frame has {pixels.Length} bytes, expected {width}x{height}x{channels}", nameof(pixels));
        }

        var arguments = FfmpegArguments.Snapshot(width, height, format, boxes, _quality, "pipe:1");
        return EncodeAsync(pixels.ToArray(), arguments, time, null, cancellationToken);
    }

    private async Task<Snapshot> EncodeAsync(byte[] pixels, IReadOnlyList<string> arguments, DateTimeOffset time, Guid? eventId, CancellationToken cancellationToken)
    {
        byte[] jpeg;
        try
        {
            jpeg = await FfmpegChild.RunAsync(_ffmpegPath, arguments, cancellationToken, pixels).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new IOException($"ffmpeg could not encode the snapshot: {ex.Message}", ex);
        }

        if (jpeg.Length == 0)
        {
            throw new IOException("ffmpeg could not encode the snapshot: it wrote no JPEG");
        }

        return await SaveAsync(jpeg, time, eventId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps an encoded JPEG (named by time, then the event id when known) and prunes the directory to <c>keep</c> files.</summary>
    public async Task<Snapshot> SaveAsync(byte[] jpeg, DateTimeOffset time, Guid? eventId, CancellationToken cancellationToken)
    {
        if (Thumbnails is not null)
        {
            await Thumbnails.PublishAsync(jpeg, time, eventId, cancellationToken).ConfigureAwait(false);
        }

        await _fileLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            // Sortable names: the oldest sorts first, so pruning needs no file times.
            var suffix = eventId is { } id ? id.ToString("D", CultureInfo.InvariantCulture) : Interlocked.Increment(ref _sequence).ToString("D6", CultureInfo.InvariantCulture);
            var name = string.Create(CultureInfo.InvariantCulture, $"{time.UtcDateTime:yyyyMMdd'T'HHmmss'.'fff'Z'}-{suffix}.jpg");
            var path = Path.Combine(Directory, name);
            var temporary = path + ".tmp";
            await File.WriteAllBytesAsync(temporary, jpeg, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
            Prune();
            return new Snapshot(path, jpeg);
        }
        finally
        {
            _fileLock.Release();
        }
    }

    private void Prune()
    {
        var files = System.IO.Directory.GetFiles(Directory, "*.jpg");
        if (files.Length <= _keep)
        {
            return;
        }

        Array.Sort(files, StringComparer.Ordinal);
        foreach (var old in files.AsSpan(0, files.Length - _keep))
        {
            File.Delete(old);
        }
    }
}
