using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Camera.Recording;

/// <summary>
/// The <c>camera.recording</c> section: the capture's ffmpeg also copies the camera's own stream (no decode, no
/// re-encode) into short segment files, a ring bounded by size and age, from which snapshots and clips are cut.
/// </summary>
public sealed class RecordingOptions
{
    [Description("Keep the camera's original stream in a ring of short segment files (same ffmpeg, -c copy). Needed for full-resolution snapshots and clips.")]
    public bool Enabled { get; set; }

    [Description("Length of one segment. Segments are cut at keyframes, so a camera with a longer keyframe interval makes longer segments.")]
    [Range(1, 60)]
    public int SegmentSeconds { get; set; } = 2;

    [Description("Largest size of the ring; the oldest segments are deleted first.")]
    [Range(8, 100000)]
    public int MaxMegabytes { get; set; } = 256;

    [Description("Segments older than this are deleted. Must cover clips.preSeconds plus clips.maxSeconds plus clips.postSeconds.")]
    [Range(10, 86400)]
    public int MaxAgeSeconds { get; set; } = 180;

    [Description("Video codec of the segments: copy (the camera's own stream; H.264/H.265 cameras) or an ffmpeg encoder for cameras that deliver raw or MJPEG frames, e.g. h264_v4l2m2m on a Raspberry Pi or libx264.")]
    [RegularExpression("^[a-z0-9_]{1,32}$", ErrorMessage = "must be copy or an ffmpeg encoder name such as h264_v4l2m2m")]
    public string Codec { get; set; } = "copy";

    [Description("Recording pauses (detection goes on) while the disk holding the ring has less free space than this.")]
    [Range(0, 100000)]
    public int MinFreeMegabytes { get; set; } = 64;

    [Description("Where segments are written. Default: <stateDirectory>/recording/<pipeline name>.")]
    public string Directory { get; set; } = string.Empty;
}
