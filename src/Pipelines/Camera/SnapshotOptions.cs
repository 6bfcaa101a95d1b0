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
}
