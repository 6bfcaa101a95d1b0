using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Camera;

public sealed class SnapshotOptions
{
    [Description("Encode a JPEG of the triggering frame when an anomaly starts.")]
    public bool Enabled { get; set; } = true;

    [Description("How many snapshots to keep on disk per camera; older ones are deleted.")]
    [Range(1, 10000)]
    public int Keep { get; set; } = 20;

    [Description("Where snapshots are written. Default: <stateDirectory>/snapshots/<pipeline name>.")]
    public string Directory { get; set; } = string.Empty;

    [Description("JPEG quality as ffmpeg's -q:v (2 best .. 31 smallest).")]
    [Range(2, 31)]
    public int Quality { get; set; } = 5;

    [Description("With recording on, snapshots are cut from the camera's own stream at its resolution, scaled down to at most this width.")]
    [Range(64, 8192)]
    public int MaxWidth { get; set; } = 1920;

    [Description("Scene models: draw every patch's score as a translucent heat map (orange to red) under the outlined patches.")]
    public bool HeatOverlay { get; set; } = true;

    [Description("Width of the thumbnail published with each snapshot on events/<pipeline>/thumbnail. 0: no thumbnail.")]
    [Range(0, 1280)]
    public int ThumbnailWidth { get; set; } = 240;

    [Description("The MQTT payload cap for a thumbnail message (JSON with the base64 JPEG); a larger one is not published, only counted.")]
    [Range(1024, 1048576)]
    public int ThumbnailMaxBytes { get; set; } = 32768;
}
