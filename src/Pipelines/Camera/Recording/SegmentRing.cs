using System.Globalization;

namespace EdgeAgent.Pipelines.Camera.Recording;

/// <summary>
/// The recording ring of one camera: the extra ffmpeg output that copies the camera's stream into segment files
/// named by their start (Unix seconds, ffmpeg's strftime), and the pruning that keeps the ring under its size and
/// age caps, oldest first. Files are written once by ffmpeg and only ever deleted (SD-card friendly).
/// </summary>
public sealed class SegmentRing
{
    public const string Extension = ".ts";
    private readonly RecordingOptions _options;
    private long _suspended;
    private long _deleted;

    public SegmentRing(string directory, RecordingOptions options)
    {
        Directory = directory;
        _options = options;
    }

    public string Directory { get; }

    public double SegmentSeconds => _options.SegmentSeconds;

    /// <summary>ffmpeg starts without the recording output because the disk was (nearly) full.</summary>
    public long Suspended => Interlocked.Read(ref _suspended);

    /// <summary>Segments deleted by the caps.</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>
    /// The output to append to the capture's ffmpeg at each start: empty when the disk has less free space than
    /// recording.minFreeMegabytes, so a full disk costs the recording, never the detection.
    /// </summary>
    public IReadOnlyList<string> OutputArguments()
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            if (new DriveInfo(Directory).AvailableFreeSpace < _options.MinFreeMegabytes * 1024L * 1024L)
            {
                Interlocked.Increment(ref _suspended);
                return [];
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Interlocked.Increment(ref _suspended);
            return [];
        }

        var args = new List<string> { "-map", "0:v:0", "-c:v", _options.Codec };
        if (_options.Codec != "copy")
        {
            // A keyframe at every segment boundary, so each segment stands alone.
            args.AddRange(["-pix_fmt", "yuv420p", "-force_key_frames", string.Create(CultureInfo.InvariantCulture, $"expr:gte(t,n_forced*{_options.SegmentSeconds})")]);
        }

        args.AddRange([
            "-f", "segment", "-segment_time", _options.SegmentSeconds.ToString(CultureInfo.InvariantCulture), "-segment_format", "mpegts",
            "-reset_timestamps", "1", "-strftime", "1", Path.Combine(Directory, "%s" + Extension),
        ]);
        return args;
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
            foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*" + Extension))
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
