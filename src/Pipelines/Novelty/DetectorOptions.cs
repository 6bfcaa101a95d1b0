using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Novelty;

/// <summary>
/// The built-in streaming detector, used when <c>model.path</c> is empty: it learns each feature's shapes from the
/// first window on, at several time scales, and scores how novel the newest shape is.
/// </summary>
public sealed class DetectorOptions : IValidatedOptions
{
    [Description("shapes: nearest-shape novelty at several time scales, judged against its own history (score in standard deviations); resonance: ARTime's adaptive-resonance novelty made streaming (score: confidence 0..1 of a novel point).")]
    public DetectorKind Kind { get; set; } = DetectorKind.Resonance;

    [Description("resonance: samples of the learning period (sets the range, the downsampling step learningSamples/104 and the initial vigilance).")]
    [Range(16, 1_000_000)]
    public int LearningSamples { get; set; } = 450;

    [Description("resonance: learning period of the early track that decides until the main one has learned; 0: none (no decisions during the learning period).")]
    [Range(0, 1_000_000)]
    public int EarlyLearningSamples { get; set; } = 180;

    [Description("resonance: the ensemble, one track per entry, each with its own learning period and range margin; the score is the sum of the members' recent novelty confidences over their number, so one member's chance novelty counts little and what several see counts much. Empty: one track of learningSamples and rangeMargin.")]
    public List<ResonanceTrackOptions> Tracks { get; set; } = [];

    [Description("resonance: windows for which a member's novelty confidence keeps counting in the ensemble score after it was found.")]
    [Range(1, 100_000)]
    public int SpanWindows { get; set; } = 30;

    [Description("Time scales, in windows: each scale averages this many consecutive feature values into one point before comparing shapes.")]
    public List<int> Scales { get; set; } = [];

    [Description("Points per shape (the context a scale compares).")]
    [Range(2, 64)]
    public int ShapeLength { get; set; } = 8;

    [Description("Shapes (or resonance categories) remembered per feature and scale; when full, the least recently matched (the oldest category) is replaced.")]
    [Range(8, 65_536)]
    public int Memory { get; set; } = 512;

    [Description("A shape farther than this (RMS distance, in units of the feature's range so far) from every remembered one is remembered as new.")]
    [Range(1e-6, 1.0)]
    public double NewShapeDistance { get; set; } = 0.02;

    [Description("Points a scale needs before its novelty counts (its distances' distribution must be learned first).")]
    [Range(1, 1_000_000)]
    public int WarmupPoints { get; set; } = 150;

    [Description("Recent points whose novelty is averaged (smooths one noisy point).")]
    [Range(1, 64)]
    public int RecentPoints { get; set; } = 3;

    [Description("Points over which the long-run distribution of novelty is learned (the reciprocal of the exponential forgetting rate, in points).")]
    [Range(10, 10_000_000)]
    public int HistoryPoints { get; set; } = 500;

    [Description("A scale's point is the most extreme of its values instead of their mean when that extreme is this far (fraction of the range) from the mean, so averaging does not hide a spike; 0: always the mean.")]
    [Range(0, 1)]
    public double SpikeDistance { get; set; }

    [Description("A point this close (fraction of the range) to the running median is taken as the median, so small noise around the usual level makes no new shapes; 0: off.")]
    [Range(0, 1)]
    public double MedianSnap { get; set; }

    [Description("Values after which the feature's range is settled: the range seen so far, widened by rangeMargin on each side, becomes the scale of every shape, and what was learned until then is relearned on it. 0: the range keeps following the extremes seen so far.")]
    [Range(0, 1_000_000)]
    public int RangeLearningPoints { get; set; }

    [Description("How much the settled range (resonance: the learning period's range) is widened on each side, as a fraction of the range seen in the learning period (room for later, larger values without rescaling).")]
    [Range(0, 100)]
    public double RangeMargin { get; set; } = 1.0;

    [Description("A value beyond the range seen so far by more than this fraction of the range is novel by itself (after warmupPoints values); 0: off.")]
    [Range(0, 100)]
    public double OutOfRangeMargin { get; set; }

    [Description("The score of an out-of-range value (in the same standard-deviation units as shape novelty).")]
    [Range(0, 1000)]
    public double OutOfRangeScore { get; set; } = 10;

    public IReadOnlyList<int> EffectiveScales() => Scales.Count > 0 ? Scales : [1, 4, 16];

    public IReadOnlyList<ResonanceTrackOptions> EffectiveTracks() => Tracks.Count > 0
        ? Tracks
        : [new ResonanceTrackOptions { LearningSamples = LearningSamples, RangeMargin = RangeMargin }];

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        foreach (var scale in Scales.Where(s => s < 1 || s > 100_000))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "scales"), $"each scale must be 1..100000 windows, got {scale}"));
        }

        if (Tracks.Count > 64)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "tracks"), $"at most 64 tracks (each costs a track's time per window), got {Tracks.Count}"));
        }
    }
}

public enum DetectorKind
{
    Shapes,
    Resonance,
}
