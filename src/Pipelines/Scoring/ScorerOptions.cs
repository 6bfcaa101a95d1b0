using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Scoring;

public enum ScorerKind
{
    Output,
    Reconstruction,
    Probability,

    /// <summary>Camera pipelines: an image classifier (softmax, top-k, anomalous classes).</summary>
    Classification,

    /// <summary>Camera pipelines: a YOLO-style detector; the score is the most confident kept detection.</summary>
    Detection,
}

public enum ReconstructionMetric
{
    MeanSquared,
    MeanAbsolute,
}

public sealed class ScorerOptions : IValidatedOptions
{
    [Description("output (the model emits a score), reconstruction (error between model input and output), probability (class probabilities); camera pipelines: output, classification or detection.")]
    public ScorerKind Kind { get; set; } = ScorerKind.Reconstruction;

    [Description("output: which element of the output is the score.")]
    [Range(0, 1_000_000)]
    public int OutputIndex { get; set; }

    [Description("reconstruction: how the per-feature errors are combined.")]
    public ReconstructionMetric Metric { get; set; } = ReconstructionMetric.MeanSquared;

    [Description("reconstruction: how many of the most contributing features an event names.")]
    [Range(0, 16)]
    public int TopFeatures { get; set; } = 3;

    [Description("probability, classification, detection: the class names in output order.")]
    public List<string> Classes { get; set; } = [];

    [Description("probability, classification: the classes that count as anomalous (the score is the sum of their probabilities); detection: the classes reported (empty: all).")]
    public List<string> AnomalousClasses { get; set; } = [];

    [Description("classification: how many of the most likely classes count towards the score.")]
    [Range(1, 1000)]
    public int TopK { get; set; } = 5;

    [Description("detection: minimum confidence of a reported box (0..1).")]
    [Range(0.0, 1.0)]
    public double ConfidenceThreshold { get; set; } = 0.25;

    [Description("detection: boxes of one class overlapping more than this (intersection over union) are merged.")]
    [Range(0.0, 1.0)]
    public double IouThreshold { get; set; } = 0.45;

    [Description("detection: YOLOv5-style output with an objectness score before the class scores (5+C attributes).")]
    public bool Objectness { get; set; }

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (Kind == ScorerKind.Detection)
        {
            foreach (var name in AnomalousClasses.Where(n => !Classes.Contains(n, StringComparer.Ordinal)))
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "anomalousClasses"), $"'{name}' is not one of classes ({string.Join(", ", Classes)})"));
            }

            return;
        }

        if (Kind is not (ScorerKind.Probability or ScorerKind.Classification))
        {
            return;
        }

        if (AnomalousClasses.Count == 0)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "anomalousClasses"), "a probability scorer needs at least one anomalous class"));
        }

        foreach (var name in AnomalousClasses.Where(n => !Classes.Contains(n, StringComparer.Ordinal)))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "anomalousClasses"), $"'{name}' is not one of classes ({string.Join(", ", Classes)})"));
        }
    }
}
