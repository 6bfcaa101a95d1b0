using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Ota;

/// <summary>
/// The optional shadow period of a model update: the candidate scores the live windows (sensor pipelines) or frames
/// (camera pipelines; "windows" below counts frames there) beside the active model (nothing it computes is
/// published) and is swapped in only if it stayed within these bounds.
/// </summary>
public sealed class ShadowOptions
{
    [Description("Seconds a candidate scores live windows beside the active model before it may be swapped in. 0: no shadow period.")]
    [Range(0, 86400)]
    public int Seconds { get; set; }

    [Description("Fewest windows (camera pipelines: frames) the candidate must have scored for a decision; the period is extended (up to maxSeconds) until it has.")]
    [Range(1, 10_000_000)]
    public int MinWindows { get; set; } = 100;

    [Description("Longest the shadow period may be extended to reach minWindows, in seconds (a value under 'seconds' means no extension); then the candidate is rejected for lack of evidence.")]
    [Range(0, 604800)]
    public int MaxSeconds { get; set; } = 3600;

    [Description("Largest fraction (0..1) of shadowed windows on which the candidate may fail (throw, or give a NaN/infinite score).")]
    [Range(0.0, 1.0)]
    public double MaxErrorRate { get; set; }

    [Description("Largest ratio of the candidate's median run time to the active model's on the same windows.")]
    [Range(1.0, 1000.0)]
    public double MaxLatencyRatio { get; set; } = 2;

    [Description("Largest increase (0..1, in fraction of windows) of the candidate's alert rate (windows at or above its raise threshold) over the active model's on the same windows; 0.05 = 5 percentage points.")]
    [Range(0.0, 1.0)]
    public double MaxAlertRateIncrease { get; set; } = 0.05;
}
