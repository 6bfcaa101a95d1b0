using System.Globalization;

namespace EdgeAgent.Pipelines.Camera.Recording;

/// <summary>
/// The recording ring of one camera: the extra ffmpeg output that copies the camera's stream into segment files
/// named by their start (Unix seconds, ffmpeg's strftime), and the pruning that keeps the ring under its size and
/// age caps, oldest first. Files are written once by ffmpeg and only ever deleted (SD-card friendly).
/// </summary>
public sealed class SegmentRing
{
    /// <summary>The extension of H.264 segments (MPEG-TS); <see cref="SegmentExtension"/> is this ring's.</summary>
    public const string Extension = ".ts";
    private readonly RecordingOptions _options;
    private const int NotStarted = 0;
    private const int Writing = 1;
    private const int Paused = 2;
    private const int Failed = 3;
    private long _suspended;
    private volatile int _mode = NotStarted;
    private volatile bool _restartWanted;
    private long _deleted;

    public SegmentRing(string directory, RecordingOptions options)
    {
        Directory = directory;
        _options = options;
    }

    public string Directory { get; }

    /// <summary>The extension of this ring's segment files (by recording.codec).</summary>
    public string SegmentExtension => SegmentEncoding.Extension(_options.Codec);

    public double SegmentSeconds => _options.SegmentSeconds;

    /// <summary>ffmpeg starts without the recording output because the disk was (nearly) full.</summary>
    public long Suspended => Interlocked.Read(ref _suspended);

    /// <summary>The running ffmpeg writes segments (false before the first start and while suspended).</summary>
    public bool Recording => _mode == Writing;

    /// <summary>
    /// Set by <see cref="CheckSpace"/>: the capture should restart ffmpeg so that the recording output follows the
    /// free space (dropped when the disk fills up while recording, added back when there is room again).
    /// </summary>
    public bool RestartWanted => _restartWanted;

    private long MinFreeBytes => _options.MinFreeMegabytes * 1024L * 1024L;

    /// <summary>
    /// Once a second while the camera runs. A full disk makes ffmpeg's segment writes fail silently (it goes on, leaving
    /// empty files), so the free space is watched here: under recording.minFreeMegabytes the recording is suspended;
    /// it resumes once twice that much (at least 1 MB more) is free again, so it does not flap at the edge.
    /// </summary>
    public void CheckSpace()
    {
        var free = FreeBytes();
        if (free < 0)
        {
            return;
        }

        var mode = _mode;
        if ((mode == Writing && free < MinFreeBytes) || (mode == Paused && free >= Math.Max(2 * MinFreeBytes, MinFreeBytes + (1024 * 1024))))
        {
            _restartWanted = true;
        }
    }

    /// <summary>Free bytes on the ring's disk; -1 when the directory cannot be read.</summary>
    public long FreeBytes()
    {
        try
        {
            return new DriveInfo(Directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return -1;
        }
    }

    private void Suspend(int mode)
    {
        _mode = mode;
        Interlocked.Increment(ref _suspended);
    }

    /// <summary>Segments deleted by the caps.</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>
    /// The output to append to the capture's ffmpeg at each start: empty when the disk has less free space than
    /// recording.minFreeMegabytes, so a full disk costs the recording, never the detection.
    /// </summary>
    public IReadOnlyList<string> OutputArguments()
    {
        _restartWanted = false;
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            if (new DriveInfo(Directory).AvailableFreeSpace < MinFreeBytes)
            {
                Suspend(Paused);
                return [];
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Not a space problem (the directory cannot be made): waiting for free space would not bring it back.
            Suspend(Failed);
            return [];
        }

        _mode = Writing;
        return [
            "-map", "0:v:0",
            .. SegmentEncoding.VideoArguments(_options.Codec, _options.SegmentSeconds),
            .. SegmentEncoding.SegmentArguments(_options.Codec, _options.SegmentSeconds, Directory),
        ];
    }

    /// <summary>
    /// The segments on disk, oldest first, with their spans: a segment starts when the one before it was last written
    /// (millisecond precision) or, after a gap, at the second in its name; it ends at its own last write.
    /// </summary>
    public IReadOnlyList<Segment> List()
    {
        var found = new List<(long Second, FileInfo File)>();
        try
        {
            foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*" + SegmentExtension))
            {
                if (long.TryParse(Path.GetFileNameWithoutExtension(file.Name), NumberStyles.None, CultureInfo.InvariantCulture, out var second))
                {
                    found.Add((second, file));
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }

        found.Sort((a, b) => a.Second.CompareTo(b.Second));
        var segments = new List<Segment>(found.Count);
        DateTime? previousEnd = null;
        foreach (var (second, file) in found)
        {
            var named = DateTime.UnixEpoch.AddSeconds(second);
            var start = previousEnd is { } end && end >= named && end < named.AddSeconds(1) ? end : named;
            var last = file.LastWriteTimeUtc;
            segments.Add(new Segment(file.FullName, start, last < start ? start : last, file.Length));
            previousEnd = last;
        }

        return segments;
    }

    /// <summary>
    /// Waits until the segments covering <paramref name="from"/>..<paramref name="to"/> are closed (a segment started
    /// after <paramref name="to"/>) or <paramref name="timeout"/> passes (the stream ended or stopped), then returns them.
    /// </summary>
    public async Task<IReadOnlyList<Segment>> CoveringAsync(DateTime from, DateTime to, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var segments = List();
            var closed = segments.Count > 0 && segments[^1].Start > to;
            if (closed || DateTime.UtcNow >= deadline)
            {
                return [.. segments.Where(s => s.End > from && s.Start <= to)];
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the oldest segments while the ring is over its size cap or they are older than the age cap; never the newest (being written).</summary>
    public void Prune(DateTime now)
    {
        var segments = List();
        var total = segments.Sum(s => s.Bytes);
        var cap = _options.MaxMegabytes * 1024L * 1024L;
        var oldest = now.AddSeconds(-_options.MaxAgeSeconds);
        for (var i = 0; i < segments.Count - 1; i++)
        {
            if (total <= cap && segments[i].End >= oldest)
            {
                break;
            }

            try
            {
                File.Delete(segments[i].Path);
                Interlocked.Increment(ref _deleted);
            }
            catch (IOException)
            {
                // Being read by a clip or snapshot right now: the next pass deletes it.
                continue;
            }

            total -= segments[i].Bytes;
        }
    }
}
