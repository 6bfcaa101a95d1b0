using System.Globalization;
using System.Text;
using EdgeAgent.Pipelines.Camera.Recording;

namespace EdgeAgent.Pipelines.Camera.Snapshots;

/// <summary>
/// Snapshots at the camera's own resolution and in colour: once the recording segment that holds the anomaly's
/// frame is closed, a one-shot ffmpeg decodes that one frame from it (the camera is not decoded a second time while
/// streaming), scales it to at most <c>snapshots.maxWidth</c>, draws the marks and encodes a JPEG. All of it runs off
/// the frame loop, which only hands over the time and the marks.
/// </summary>
public sealed class FullFrameSnapshots
{
    private static readonly string[] Fonts =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    ];

    private readonly SegmentRing _ring;
    private readonly string _ffmpegPath;
    private readonly int _maxWidth;
    private readonly int _quality;
    private readonly string? _font;
    private readonly bool _heatOverlay;

    public FullFrameSnapshots(SegmentRing ring, string ffmpegPath, int maxWidth, int quality, bool heatOverlay = true)
    {
        _heatOverlay = heatOverlay;
        _ring = ring;
        _ffmpegPath = ffmpegPath;
        _maxWidth = maxWidth;
        _quality = quality;
        _font = Fonts.FirstOrDefault(File.Exists);
    }

    /// <summary>The JPEG of the frame shown at <paramref name="time"/> (UTC) with the marks drawn.</summary>
    /// <exception cref="IOException">No segment holds that time, or ffmpeg failed.</exception>
    public async Task<byte[]> EncodeAsync(DateTime time, IReadOnlyList<SnapshotMark> marks, CancellationToken cancellationToken)
    {
        var wait = TimeSpan.FromSeconds((_ring.SegmentSeconds * 3) + 5);
        var segments = await _ring.CoveringAsync(time, time, wait, cancellationToken).ConfigureAwait(false);
        if (segments.Count == 0)
        {
            throw new IOException($"no recording segment in {_ring.Directory} holds {time:O}");
        }

        var segment = segments[^1];
        var offset = Math.Clamp((time - segment.Start).TotalSeconds, 0, Math.Max(0, segment.Seconds - 0.05));
        var jpeg = await FfmpegChild.RunAsync(_ffmpegPath, Arguments(segment.Path, offset, marks), cancellationToken).ConfigureAwait(false);
        if (jpeg.Length == 0)
        {
            // The offset fell past the last frame (the segment's times are estimates from file times): take its first.
            jpeg = await FfmpegChild.RunAsync(_ffmpegPath, Arguments(segment.Path, 0, marks), cancellationToken).ConfigureAwait(false);
        }

        return jpeg.Length > 0 ? jpeg : throw new IOException($"ffmpeg decoded no frame from {segment.Path}");
    }

    internal IReadOnlyList<string> Arguments(string segment, double offset, IReadOnlyList<SnapshotMark> marks)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error" };
        // -ss after the input: decode from the segment's start to the frame (exact, and cheap for a few seconds);
        // as an input option it lands between mpegts timestamps and yields nothing.
        args.AddRange(["-i", segment, "-ss", Number(offset)]);
        args.AddRange(["-an", "-vf", Filter(marks), "-frames:v", "1", "-q:v", _quality.ToString(CultureInfo.InvariantCulture),
            "-f", "image2", "-c:v", "mjpeg", "pipe:1"]);
        return args;
    }

    private string Filter(IReadOnlyList<SnapshotMark> marks)
    {
        var filters = new List<string> { Invariant($"scale='min(iw,{_maxWidth})':-2") };
        if (_heatOverlay && marks.Any(m => m.Kind == SnapshotMarkKind.Heat))
        {
            // drawbox blends only the luma of a YUV picture and paints its chroma solid: in RGB the cell is truly
            // translucent. Under the outlines and labels, so they stay readable on a hot cell.
            filters.Add("format=rgb24");
            foreach (var mark in marks.Where(m => m.Kind == SnapshotMarkKind.Heat))
            {
                filters.Add(HeatCell(mark));
            }
        }

        foreach (var mark in marks.Where(m => m.Kind != SnapshotMarkKind.Heat))
        {
            var colour = mark.Kind == SnapshotMarkKind.Detection ? "red@0.9" : "yellow@0.9";
            var w = Math.Max(0.002f, mark.X2 - mark.X1);
            var h = Math.Max(0.002f, mark.Y2 - mark.Y1);
            filters.Add(Invariant($"drawbox=x=iw*{mark.X1:0.####}:y=ih*{mark.Y1:0.####}:w=iw*{w:0.####}:h=ih*{h:0.####}:color={colour}:t='max(2,ih/160)'"));
            if (mark.Kind == SnapshotMarkKind.Detection && _font is not null && Safe(mark.Label) is { Length: > 0 } text)
            {
                filters.Add(Invariant(
                    $"drawtext=fontfile={_font}:text='{text}':fontsize='max(12,h/30)':fontcolor=white:box=1:boxcolor=red@0.8:x=w*{mark.X1:0.####}:y='max(0,h*{mark.Y1:0.####}-th-4)'"));
            }
        }

        return string.Join(',', filters);
    }

    /// <summary>A filled translucent cell: orange at the floor, red at full heat, more opaque as it gets hotter.</summary>
    private static string HeatCell(SnapshotMark mark)
    {
        var t = Math.Clamp((mark.Heat - SnapshotMarks.HeatFloor) / (1 - SnapshotMarks.HeatFloor), 0f, 1f);
        var green = (int)Math.Round(160 * (1 - t));
        var alpha = 0.3 + (0.25 * t);
        // Whole pixels, so neighbouring cells meet without a gap or an overlap that would double the tint.
        return Invariant(
            $"drawbox=x='floor(iw*{mark.X1:0.####})':y='floor(ih*{mark.Y1:0.####})':w='floor(iw*{mark.X2:0.####})-floor(iw*{mark.X1:0.####})':h='floor(ih*{mark.Y2:0.####})-floor(ih*{mark.Y1:0.####})':color=0xFF{green:X2}00@{alpha:0.##}:t=fill");
    }

    // Labels come from config (class names): keep only characters that need no escaping inside a filter graph.
    private static string Safe(string label)
    {
        var text = new StringBuilder(label.Length);
        foreach (var c in label)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or '_' or '-')
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
