using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// The <c>camera</c> section of a <c>kind: camera</c> pipeline: where frames come from, the raw frame ffmpeg
/// delivers, and how the capture is supervised. Present only on camera pipelines, so an empty input is an error.
/// </summary>
public sealed class CameraOptions : IValidatedOptions
{
    [Description("The source: a V4L2 device (/dev/video0), rtsp://, http:// (MJPEG) or a video file path.")]
    public string Input { get; set; } = string.Empty;

    [Description("Play a file input again from the start when it ends (ffmpeg -stream_loop -1). Files only.")]
    public bool Loop { get; set; }

    [Description("Read a file input at its native frame rate, like a live camera (ffmpeg -re). Off: as fast as it decodes.")]
    public bool ReadAtNativeRate { get; set; } = true;

    [Description("V4L2 devices: capture width to ask the device for. 0 = the device's default.")]
    [Range(0, 16384)]
    public int DeviceWidth { get; set; }

    [Description("V4L2 devices: capture height to ask the device for. 0 = the device's default.")]
    [Range(0, 16384)]
    public int DeviceHeight { get; set; }

    [Description("V4L2 devices: input format to ask the device for (e.g. mjpeg, yuyv422). Empty = the device's default.")]
    [RegularExpression("^[a-z0-9_]{0,32}$", ErrorMessage = "must be an ffmpeg pixel or codec name such as mjpeg or yuyv422")]
    public string DeviceFormat { get; set; } = string.Empty;

    [Description("V4L2 devices: frame rate to ask the device for. 0 = the device's default.")]
    [Range(0, 1000)]
    public double DeviceFps { get; set; }

    [Description("Width of the raw frames the pipeline receives (ffmpeg scales every input to it).")]
    [Range(16, 8192)]
    public int Width { get; set; } = 640;

    [Description("Height of the raw frames the pipeline receives.")]
    [Range(16, 8192)]
    public int Height { get; set; } = 480;

    [Description("Pixel format of the raw frames: rgb24, bgr24 or gray.")]
    public CameraPixelFormat PixelFormat { get; set; } = CameraPixelFormat.Rgb24;

    [Description("Frames per second delivered at most (ffmpeg fps filter). 0 = as many as the input has.")]
    [Range(0, 1000)]
    public double MaxFps { get; set; } = 5;

    [Description("Extra ffmpeg arguments placed before the input, e.g. [\"-hwaccel\", \"v4l2m2m\"] on a Pi or [\"-hwaccel\", \"cuda\"] on a Jetson.")]
    public List<string> DecoderArguments { get; set; } = [];

    [Description("The ffmpeg executable: a name looked up in PATH or an absolute path.")]
    public string FfmpegPath { get; set; } = "ffmpeg";

    [Description("Kill and restart ffmpeg when no frame has arrived for this long (also the time a start may take).")]
    [Range(0.5, 3600)]
    public double StallTimeoutSeconds { get; set; } = 10;

    [Description("Delay before the first restart after ffmpeg exits; doubles on each failure in a row.")]
    [Range(0.05, 3600)]
    public double RestartBackoffMinSeconds { get; set; } = 1;

    [Description("Longest delay between restarts (also used while ffmpeg itself cannot be started).")]
    [Range(0.05, 86400)]
    public double RestartBackoffMaxSeconds { get; set; } = 60;

    [Description("Float models: per-channel mean subtracted after scaling pixels to 0..1 (e.g. [0.485, 0.456, 0.406] for ImageNet models). Empty: 0.")]
    public List<double> InputMean { get; set; } = [];

    [Description("Float models: per-channel standard deviation divided by after the mean (e.g. [0.229, 0.224, 0.225]). Empty: 1.")]
    public List<double> InputStd { get; set; } = [];

    [Description("Run inference only when the picture changes.")]
    public MotionFilterOptions Motion { get; set; } = new();

    [Description("JPEG snapshots of anomalies.")]
    public SnapshotOptions Snapshots { get; set; } = new();

    [Description("The camera's own stream kept in a ring of short segments (full-resolution snapshots and clips come from it).")]
    public Recording.RecordingOptions Recording { get; set; } = new();

    [Description("One MP4 clip per event, cut from the recording ring.")]
    public Recording.ClipOptions Clips { get; set; } = new();

    /// <summary>Bytes per raw frame: width × height × channels, no padding.</summary>
    public int FrameBytes => Width * Height * Channels;

    public int Channels => PixelFormat == CameraPixelFormat.Gray ? 1 : 3;

    public CameraInputKind InputKind => KindOf(Input);

    public static CameraInputKind KindOf(string input)
    {
        if (input.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || input.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase))
        {
            return CameraInputKind.Rtsp;
        }

        if (input.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || input.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return CameraInputKind.Http;
        }

        return input.StartsWith("/dev/", StringComparison.Ordinal) ? CameraInputKind.Device : CameraInputKind.File;
    }

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (string.IsNullOrWhiteSpace(Input))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "input"), "is required: a device such as /dev/video0, an rtsp:// or http:// URL, or a video file"));
        }
        else if (Input.Contains("://", StringComparison.Ordinal) && InputKind == CameraInputKind.File)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "input"), $"'{Input}' has an unsupported scheme; use rtsp://, rtsps://, http:// or https://, or a file path"));
        }

        if (Loop && InputKind != CameraInputKind.File)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "loop"), "only applies to a file input; remove it for devices and streams"));
        }

        if (RestartBackoffMinSeconds > RestartBackoffMaxSeconds)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "restartBackoffMinSeconds"),
                $"must not exceed restartBackoffMaxSeconds ({RestartBackoffMaxSeconds}), got {RestartBackoffMinSeconds}"));
        }

        if ((DeviceWidth == 0) != (DeviceHeight == 0))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "deviceWidth"), "set deviceWidth and deviceHeight together, or neither"));
        }

        if (string.IsNullOrWhiteSpace(FfmpegPath))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "ffmpegPath"), "must name the ffmpeg executable (default: ffmpeg from PATH)"));
        }

        if (InputMean.Count is not (0 or 1) && InputMean.Count != Channels)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "inputMean"), $"needs 1 or {Channels} values for {PixelFormat}, got {InputMean.Count}"));
        }

        if (InputStd.Count is not (0 or 1) && InputStd.Count != Channels)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "inputStd"), $"needs 1 or {Channels} values for {PixelFormat}, got {InputStd.Count}"));
        }

        if (InputStd.Any(s => s <= 0))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "inputStd"), "every value must be greater than 0"));
        }

        if (Recording.Enabled && Clips.Enabled && Recording.MaxAgeSeconds < Clips.PreSeconds + Clips.MaxSeconds + Clips.PostSeconds + (2 * Recording.SegmentSeconds))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "recording.maxAgeSeconds"),
                $"must cover clips.preSeconds + clips.maxSeconds + clips.postSeconds plus two segments ({Clips.PreSeconds + Clips.MaxSeconds + Clips.PostSeconds + (2 * Recording.SegmentSeconds)}), got {Recording.MaxAgeSeconds}"));
        }

        if (Recording.Enabled && InputKind == CameraInputKind.Device)
        {
            // A V4L2 device's stream is what deviceFormat asks for: copying raw frames into segments would fail at
            // every ffmpeg start, so the mismatch is a start-up error naming the fix.
            if (Recording.Codec == Camera.Recording.SegmentEncoding.Copy && DeviceFormat != "h264")
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "recording.codec"),
                    $"copy keeps an H.264 stream, and this V4L2 device delivers '{(DeviceFormat.Length > 0 ? DeviceFormat : "its default format")}': set deviceFormat: h264 (cameras that encode), codec mjpeg with deviceFormat: mjpeg, h264_v4l2m2m (Raspberry Pi) or libx264"));
            }
            else if (Recording.Codec == Camera.Recording.SegmentEncoding.Mjpeg && DeviceFormat != "mjpeg")
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "recording.codec"),
                    "mjpeg stores the camera's MJPEG frames as they come: set deviceFormat: mjpeg (or use h264_v4l2m2m or libx264 for raw frames)"));
            }
        }

        if (Motion.Enabled && (Width / Motion.Downscale < 4 || Height / Motion.Downscale < 4))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "motion.downscale"),
                $"leaves fewer than 4x4 pixels of a {Width}x{Height} frame; use a smaller factor"));
        }
    }
}
