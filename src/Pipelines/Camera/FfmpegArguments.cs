using System.Globalization;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// The ffmpeg command lines, as argument lists (never a shell string, so a URL or path with spaces or quotes is
/// passed through untouched).
/// </summary>
public static class FfmpegArguments
{
    /// <summary>
    /// Decode <see cref="CameraOptions.Input"/> to raw frames of exactly <see cref="CameraOptions.FrameBytes"/> bytes on
    /// stdout. The scale filter pins the output size, so a source that changes resolution mid-stream still yields
    /// frames of the configured size.
    /// </summary>
    public static IReadOnlyList<string> Capture(CameraOptions options)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "warning" };
        args.AddRange(options.DecoderArguments);
        switch (options.InputKind)
        {
            case CameraInputKind.Device:
                args.AddRange(["-f", "v4l2"]);
                if (options.DeviceFormat.Length > 0)
                {
                    args.AddRange(["-input_format", options.DeviceFormat]);
                }

                if (options.DeviceWidth > 0)
                {
                    args.AddRange(["-video_size", Invariant($"{options.DeviceWidth}x{options.DeviceHeight}")]);
                }

                if (options.DeviceFps > 0)
                {
                    args.AddRange(["-framerate", Number(options.DeviceFps)]);
                }

                break;
            case CameraInputKind.Rtsp:
                // UDP loses packets on Wi-Fi and behind NAT; TCP interleaving is what works in the field.
                args.AddRange(["-rtsp_transport", "tcp", "-fflags", "nobuffer", "-flags", "low_delay"]);
                break;
            case CameraInputKind.Http:
                args.AddRange(["-fflags", "nobuffer", "-flags", "low_delay"]);
                break;
            case CameraInputKind.File:
                if (options.ReadAtNativeRate)
                {
                    args.Add("-re");
                }

                if (options.Loop)
                {
                    args.AddRange(["-stream_loop", "-1"]);
                }

                break;
        }

        args.AddRange(["-i", options.Input, "-an", "-sn", "-dn"]);
        args.AddRange(["-vf", Filter(options)]);

        // The rawvideo muxer makes ffmpeg default to constant frame rate, which repeats the last frame into every gap
        // in the timestamps (a camera dropping frames on Wi-Fi): the model would score copies. Passthrough delivers
        // each decoded frame once.
        args.AddRange(FfmpegVersion.PassthroughArguments(options.FfmpegPath));
        args.AddRange(["-f", "rawvideo", "-pix_fmt", PixelFormatName(options.PixelFormat)]);
        args.AddRange(["-s", Invariant($"{options.Width}x{options.Height}"), "pipe:1"]);
        return args;
    }

    /// <summary>
    /// A one-shot JPEG encode of one raw frame read from stdin, written to <paramref name="output"/> (a file path
    /// or <c>pipe:1</c>), with a rectangle drawn for each box (normalised coordinates).
    /// </summary>
    public static IReadOnlyList<string> Snapshot(
        int width, int height, CameraPixelFormat format, ReadOnlySpan<Scoring.Detection> boxes, int quality, string output)
    {
        var args = new List<string>
        {
            "-hide_banner", "-nostdin", "-loglevel", "error",
            "-f", "rawvideo", "-pix_fmt", PixelFormatName(format), "-s", Invariant($"{width}x{height}"), "-i", "pipe:0",
        };
        if (!boxes.IsEmpty)
        {
            var thickness = Math.Max(2, Math.Min(width, height) / 150);
            var filters = new List<string>(boxes.Length);
            foreach (var box in boxes)
            {
                var x = (int)Math.Round(Math.Clamp(box.X1, 0f, 1f) * width);
                var y = (int)Math.Round(Math.Clamp(box.Y1, 0f, 1f) * height);
                var w = Math.Max(1, (int)Math.Round(Math.Clamp(box.X2, 0f, 1f) * width) - x);
                var h = Math.Max(1, (int)Math.Round(Math.Clamp(box.Y2, 0f, 1f) * height) - y);
                filters.Add(Invariant($"drawbox=x={x}:y={y}:w={w}:h={h}:color=red@0.9:t={thickness}"));
            }

            args.AddRange(["-vf", string.Join(',', filters)]);
        }

        args.AddRange(["-frames:v", "1", "-q:v", quality.ToString(CultureInfo.InvariantCulture), "-f", "image2", "-c:v", "mjpeg", "-y", output]);
        return args;
    }

    public static string PixelFormatName(CameraPixelFormat format) => format switch
    {
        CameraPixelFormat.Rgb24 => "rgb24",
        CameraPixelFormat.Bgr24 => "bgr24",
        CameraPixelFormat.Gray => "gray",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private static string Filter(CameraOptions options)
    {
        // Drop frames before scaling so the scaler only works on frames that are delivered.
        var scale = Invariant($"scale={options.Width}:{options.Height}:flags=bilinear");
        return options.MaxFps > 0 ? $"fps={Number(options.MaxFps)},{scale}" : scale;
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
