using System.Globalization;
using System.Text.Json;
using EdgeAgent.Pipelines.Events;

namespace EdgeAgent.Pipelines.Camera.Recording;

/// <summary>
/// Event clips: at anomaly_end (or <c>clips.maxSeconds</c> after the start) the ring's segments from
/// <c>preSeconds</c> before the start to <c>postSeconds</c> after the end are joined with ffmpeg's concat demuxer
/// (<c>-c copy</c>, no re-encode) into <c>&lt;event id&gt;.mp4</c>, announced with a <c>clip</c> message on
/// <c>events/&lt;pipeline&gt;</c>, and the clip directory is pruned to its size and age caps, oldest first.
/// Everything runs off the frame loop; a clip that cannot be written (full disk, missing segments) is dropped and
/// counted, and detection never waits for it.
/// </summary>
public sealed class ClipRecorder
{
    private readonly SegmentRing _ring;
    private readonly ClipOptions _options;
    private readonly string _ffmpegPath;
    private readonly IOutboundQueue _queue;
    private readonly byte[] _topic;
    private readonly EventHeader _header;
    private readonly SemaphoreSlim _one = new(1, 1);
    private TaskCompletionSource<DateTime>? _end;
    private long _written;
    private long _dropped;
    private long _deleted;

    public ClipRecorder(string directory, SegmentRing ring, ClipOptions options, string ffmpegPath, IOutboundQueue queue, string deviceId, string pipeline)
    {
        Directory = directory;
        _ring = ring;
        _options = options;
        _ffmpegPath = ffmpegPath;
        _queue = queue;
        _header = new EventHeader(deviceId, pipeline);
        _topic = MqttTopics.Events(pipeline);
    }

    public string Directory { get; }

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Clips that could not be written (disk full, no segments, ffmpeg failed).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Clips deleted by the size and age caps.</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>The last failure, for logs and status.</summary>
    public string LastError { get; private set; } = string.Empty;

    /// <summary>
    /// Call on the loop at anomaly_start; returns the task that writes the clip (await it off the loop). It completes
    /// after <see cref="Ended"/> plus the post-roll, or at the maximum length.
    /// </summary>
    public Task<Clip?> Started(Guid id, DateTime start, CancellationToken cancellationToken)
    {
        var end = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _end, end);
        return Task.Run(() => RecordAsync(id, start, end.Task, cancellationToken), CancellationToken.None);
    }

    /// <summary>Call on the loop at anomaly_end.</summary>
    public void Ended(DateTime end) => Volatile.Read(ref _end)?.TrySetResult(end);

    private async Task<Clip?> RecordAsync(Guid id, DateTime start, Task<DateTime> ended, CancellationToken cancellationToken)
    {
        var longest = start.AddSeconds(_options.MaxSeconds);
        var wait = longest - DateTime.UtcNow;
        var first = await Task.WhenAny(ended, Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var end = first == ended && ended.Result < longest ? ended.Result : longest;
        var from = start.AddSeconds(-_options.PreSeconds);
        var to = end.AddSeconds(_options.PostSeconds);
        var timeout = (to - DateTime.UtcNow) + TimeSpan.FromSeconds((_ring.SegmentSeconds * 3) + 5);
        var segments = await _ring.CoveringAsync(from, to, timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);

        // One clip at a time: joins are disk-bound, and pruning must see finished files only.
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (segments.Count == 0)
            {
                return Drop($"no recording segments between {from:O} and {to:O}");
            }

            var clip = await JoinAsync(id, segments, cancellationToken).ConfigureAwait(false);
            if (clip is null)
            {
                return null;
            }

            Interlocked.Increment(ref _written);
            _queue.Enqueue(_topic, Message(id, clip), MessageOptions.Event);
            Prune(DateTime.UtcNow);
            return clip;
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<Clip?> JoinAsync(Guid id, IReadOnlyList<Segment> segments, CancellationToken cancellationToken)
    {
        var name = id.ToString("D", CultureInfo.InvariantCulture) + ".mp4";
        var path = Path.Combine(Directory, name);
        var list = path + ".txt";
        var temporary = path + ".part";
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            await File.WriteAllLinesAsync(list, segments.Select(s => "file '" + s.Path.Replace("'", "'\\''", StringComparison.Ordinal) + "'"), cancellationToken)
                .ConfigureAwait(false);
            await FfmpegChild.RunAsync(_ffmpegPath,
                ["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list, "-map", "0:v", "-c", "copy",
                 "-movflags", "+faststart", "-f", "mp4", "-y", temporary], cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
            return new Clip(path, name, segments[0].Start, segments[^1].End, new FileInfo(path).Length);
        }
        catch (IOException ex)
        {
            // A full disk lands here too: the clip is lost, the detection is not.
            TryDelete(temporary);
            return Drop(ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            TryDelete(temporary);
            return Drop(ex.Message);
        }
        finally
        {
            TryDelete(list);
        }
    }

    private Clip? Drop(string reason)
    {
        Interlocked.Increment(ref _dropped);
        LastError = reason;
        return null;
    }

    private byte[] Message(Guid id, Clip clip)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            // Like every message on the events topic: an id of its own, and the alertId that links it to its alert's
            // anomaly_start and anomaly_end (the clip and the snapshot are named after that alertId).
            _header.Open(writer, "clip"u8, Guid.NewGuid(), id, DateTime.UtcNow);
            writer.WriteString("path"u8, clip.Path);
            if (_options.UrlPrefix.Length > 0)
            {
                writer.WriteString("url"u8, _options.UrlPrefix + clip.Name);
            }

            writer.WriteString("start"u8, clip.Start);
            writer.WriteString("end"u8, clip.End);
            writer.WriteNumber("seconds"u8, Math.Round((clip.End - clip.Start).TotalSeconds, 3));
            writer.WriteNumber("bytes"u8, clip.Bytes);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Deletes the oldest clips while they exceed clips.maxMegabytes or are older than clips.keepDays.</summary>
    public void Prune(DateTime now)
    {
        FileInfo[] files;
        try
        {
            files = new DirectoryInfo(Directory).GetFiles("*.mp4");
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        Array.Sort(files, (a, b) => a.LastWriteTimeUtc.CompareTo(b.LastWriteTimeUtc));
        var total = files.Sum(f => f.Length);
        var cap = _options.MaxMegabytes * 1024L * 1024L;
        var oldest = now.AddDays(-_options.KeepDays);
        foreach (var file in files)
        {
            if (total <= cap && file.LastWriteTimeUtc >= oldest)
            {
                break;
            }

            if (TryDelete(file.FullName))
            {
                Interlocked.Increment(ref _deleted);
            }

            total -= file.Length;
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
