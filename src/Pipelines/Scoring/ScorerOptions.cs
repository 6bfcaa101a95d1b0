using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Configuration;

namespace EdgeAgent.Pipelines.Scoring;

public enum ScorerKind
{
    Output,
    Reconstruction,
    Probability,
}

public enum ReconstructionMetric
{
    MeanSquared,
    MeanAbsolute,
}

public sealed class ScorerOptions : IValidatedOptions
{
    [Description("output (the model emits a score), reconstruction (error between model input and output), probability (class probabilities).")]
    public ScorerKind Kind { get; set; } = ScorerKind.Reconstruction;

    [Description("output: which element of the output is the score.")]
    [Range(0, 1_000_000)]
    public int OutputIndex { get; set; }

    [Description("reconstruction: how the per-feature errors are combined.")]
    public ReconstructionMetric Metric { get; set; } = ReconstructionMetric.MeanSquared;

    [Description("reconstruction: how many of the most contributing features an event names.")]
    [Range(0, 16)]
    public int TopFeatures { get; set; } = 3;

    [Description("probability: the class names in output order.")]
    public List<string> Classes { get; set; } = [];

    [Description("probability: the classes that count as anomalous; the score is the sum of their probabilities.")]
    public List<string> AnomalousClasses { get; set; } = [];

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (Kind != ScorerKind.Probability)
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
