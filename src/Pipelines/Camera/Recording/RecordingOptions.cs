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

    [Description("How segments store the stream: copy (an H.264/H.265 camera's stream as it comes: RTSP, or V4L2 with deviceFormat h264), mjpeg (a V4L2 MJPEG camera's frames as they come, deviceFormat mjpeg), h264_v4l2m2m (raw frames encoded by a Raspberry Pi's hardware encoder) or libx264 (software encoding, any camera).")]
    [RegularExpression("^(copy|mjpeg|h264_v4l2m2m|libx264)$", ErrorMessage = "must be copy, mjpeg, h264_v4l2m2m or libx264")]
    public string Codec { get; set; } = "copy";

    [Description("Recording pauses (detection goes on) while the disk holding the ring has less free space than this.")]
    [Range(0, 100000)]
    public int MinFreeMegabytes { get; set; } = 64;

    [Description("Where segments are written. Default: <stateDirectory>/recording/<pipeline name>.")]
    public string Directory { get; set; } = string.Empty;
}
