using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Novelty;

/// <summary>One member of the resonance ensemble: its own learning period (so its own downsampling step) and range margin.</summary>
public sealed class ResonanceTrackOptions
{
    [Description("Samples of this track's learning period (sets its range, its downsampling step learningSamples/104 and its initial vigilance).")]
    [Range(16, 1_000_000)]
    public int LearningSamples { get; set; } = 450;

    [Description("How much this track's range is widened on each side, as a fraction of the range seen in its learning period.")]
    [Range(0, 100)]
    public double RangeMargin { get; set; } = 1.0;
}
