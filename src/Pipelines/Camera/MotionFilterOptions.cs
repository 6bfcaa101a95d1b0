using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Camera;

public sealed class MotionFilterOptions
{
    [Description("Run inference only on frames with motion (plus every forceEverySeconds).")]
    public bool Enabled { get; set; }

    [Description("Compare frames at 1/downscale of the output size in each direction; larger is cheaper and ignores more noise.")]
    [Range(1, 32)]
    public int Downscale { get; set; } = 4;

    [Description("A downscaled grey pixel counts as changed when it differs from the background by more than this (0..255).")]
    [Range(1, 255)]
    public int PixelThreshold { get; set; } = 25;

    [Description("Motion is reported when at least this fraction of the downscaled pixels changed (0..1).")]
    [Range(0.0, 1.0)]
    public double MinChangedArea { get; set; } = 0.01;

    [Description("How fast the background follows the scene: weight of each new frame in the running average (0..1).")]
    [Range(0.001, 1.0)]
    public double BackgroundLearningRate { get; set; } = 0.05;

    [Description("Let a frame through at least this often even without motion, so a slow change is still scored. 0 = never.")]
    [Range(0, 86400)]
    public double ForceEverySeconds { get; set; } = 60;
}
