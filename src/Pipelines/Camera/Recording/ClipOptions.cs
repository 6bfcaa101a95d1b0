using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Camera.Recording;

/// <summary>The <c>camera.clips</c> section: one MP4 per event, joined from the recording ring without re-encoding.</summary>
public sealed class ClipOptions
{
    [Description("Write a clip of each event from the recording ring (needs recording.enabled).")]
    public bool Enabled { get; set; } = true;

    [Description("Seconds of video before anomaly_start.")]
    [Range(0, 600)]
    public double PreSeconds { get; set; } = 5;

    [Description("Seconds of video after anomaly_end.")]
    [Range(0, 600)]
    public double PostSeconds { get; set; } = 5;

    [Description("A clip ends this long after anomaly_start even if the anomaly goes on.")]
    [Range(1, 3600)]
    public double MaxSeconds { get; set; } = 60;

    [Description("Disk space all clips of this camera may take; the oldest are deleted first.")]
    [Range(1, 1000000)]
    public int MaxMegabytes { get; set; } = 1024;

    [Description("Clips older than this many days are deleted.")]
    [Range(0.01, 3650)]
    public double KeepDays { get; set; } = 7;

    [Description("Prefix for the clip's URL in the clip event (e.g. http://nas.local/clips/); the file name is appended. Empty: no url field.")]
    public string UrlPrefix { get; set; } = string.Empty;

    [Description("Where clips are written. Default: <stateDirectory>/clips/<pipeline name>.")]
    public string Directory { get; set; } = string.Empty;
}
