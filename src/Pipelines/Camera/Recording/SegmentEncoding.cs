using System.Globalization;

namespace EdgeAgent.Pipelines.Camera.Recording;

/// <summary>
/// How the ring stores a camera's stream (<c>recording.codec</c>), one value per camera kind: <c>copy</c> keeps an
/// H.264/H.265 stream as it comes (RTSP cameras, V4L2 devices with deviceFormat h264); <c>mjpeg</c> keeps a V4L2
/// camera's MJPEG frames as they come (deviceFormat mjpeg; MPEG-TS cannot carry MJPEG, so those segments are
/// Matroska); <c>h264_v4l2m2m</c> encodes raw frames with the Raspberry Pi's hardware encoder; <c>libx264</c> encodes
/// them in software, the fallback for any other camera.
/// </summary>
public static class SegmentEncoding
{
    public const string Copy = "copy";
    public const string Mjpeg = "mjpeg";
    public const string V4l2m2m = "h264_v4l2m2m";
    public const string Libx264 = "libx264";

    /// <summary>The values <c>recording.codec</c> takes.</summary>
    public static readonly IReadOnlyList<string> All = [Copy, Mjpeg, V4l2m2m, Libx264];

    /// <summary>The segment files' extension (and so their container).</summary>
    public static string Extension(string codec) => codec == Mjpeg ? ".mkv" : ".ts";

    /// <summary>The video options of the ring's output, before the segment muxer's.</summary>
    public static IReadOnlyList<string> VideoArguments(string codec, double segmentSeconds)
    {
        // Encoders get a keyframe at every segment boundary so each segment stands alone; copied streams are cut at
        // the camera's own keyframes.
        var keyframes = string.Create(CultureInfo.InvariantCulture, $"expr:gte(t,n_forced*{segmentSeconds})");
        return codec switch
        {
            Copy or Mjpeg => ["-c:v", "copy"],
            // The Pi's encoder takes yuv420p and needs a bit rate (its default is low for a camera picture).
            V4l2m2m => ["-c:v", V4l2m2m, "-pix_fmt", "yuv420p", "-b:v", "4M", "-force_key_frames", keyframes],
            // veryfast/zerolatency: the least CPU for a watchable picture, no frame held back by look-ahead.
            Libx264 => ["-c:v", Libx264, "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-force_key_frames", keyframes],
            _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "recording.codec must be one of " + string.Join(", ", All)),
        };
    }

    /// <summary>The segment muxer: one file per segment, named by its start (Unix seconds).</summary>
    public static IReadOnlyList<string> SegmentArguments(string codec, double segmentSeconds, string directory) =>
    [
        "-f", "segment", "-segment_time", segmentSeconds.ToString(CultureInfo.InvariantCulture),
        "-segment_format", codec == Mjpeg ? "matroska" : "mpegts",
        "-reset_timestamps", "1", "-strftime", "1", Path.Combine(directory, "%s" + Extension(codec)),
    ];

    /// <summary>
    /// Why the ffmpeg at <paramref name="ffmpegPath"/> cannot record with <paramref name="codec"/> (its build lacks the
    /// encoder), or null when it can, when the codec needs no encoder, or when ffmpeg cannot be run at all (the
    /// capture reports that itself). Asked once at start-up, so a wrong codec is a configuration error, not a camera
    /// that restarts forever.
    /// </summary>
    public static string? Unavailable(string ffmpegPath, string codec)
    {
        if (codec is Copy or Mjpeg)
        {
            return null;
        }

        string listing;
        try
        {
            // At start-up, before any loop runs: waiting on the one-shot child here blocks nothing else.
            listing = System.Text.Encoding.UTF8.GetString(
                FfmpegChild.RunAsync(ffmpegPath, ["-hide_banner", "-encoders"], CancellationToken.None).GetAwaiter().GetResult());
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException)
        {
            return null;
        }

        // Lines read " V....D libx264   libx264 H.264 / AVC ...": the encoder's name is the second column.
        foreach (var line in listing.Split('\n'))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 2 && columns[1] == codec)
            {
                return null;
            }
        }

        return codec == V4l2m2m
            ? $"recording.codec {codec}: {ffmpegPath} has no {codec} encoder (it is the Raspberry Pi's hardware encoder; use libx264 elsewhere)"
            : $"recording.codec {codec}: {ffmpegPath} has no {codec} encoder (install a full ffmpeg build, or use copy/mjpeg when the camera already sends H.264/MJPEG)";
    }
}
