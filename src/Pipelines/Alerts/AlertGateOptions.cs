using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Alerts;

/// <summary>The alert gate: an alert starts only if its score is high for this stream (see <see cref="AlertGate"/>).</summary>
public sealed class AlertGateOptions : IValidatedOptions
{
    [Description("Judge each would-be alert against the peaks of this pipeline's recent would-be alerts: a stream that keeps crossing the raise threshold raises its own bar, a quiet one keeps every alert.")]
    public bool Enabled { get; set; }

    [Description("Would-be alerts remembered (their peak scores).")]
    [Range(1, 4096)]
    public int History { get; set; } = 40;

    [Description("Would-be alerts seen before the gate judges any (until then every one alerts).")]
    [Range(1, 4096)]
    public int Minimum { get; set; } = 10;

    [Description("A would-be alert alerts when its peak reaches this quantile of the remembered peaks (0.5: the median).")]
    [Range(0.0, 1.0)]
    public double Quantile { get; set; } = 0.5;

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (Enabled && Minimum > History)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "minimum"), $"must not exceed history ({History}), got {Minimum}"));
        }
    }
}
