using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Sources;

public enum AnomalyKind
{
    Spike,
    LevelShift,
    Drift,
    StuckValue,
    NoiseBurst,
}

public sealed class InjectedAnomalyOptions : IValidatedOptions
{
    [Description("spike, levelShift, drift, stuckValue or noiseBurst.")]
    public AnomalyKind Kind { get; set; } = AnomalyKind.Spike;

    [Description("Channel index within this source.")]
    [Range(0, 1023)]
    public int Channel { get; set; }

    [Description("Seconds after the start (of each repetition) at which the anomaly begins.")]
    [Range(0, 1e9)]
    public double AtSeconds { get; set; } = 120;

    [Description("How long it lasts, in seconds (a spike lasts one sample).")]
    [Range(0, 1e9)]
    public double DurationSeconds { get; set; } = 30;

    [Description("Size: spike height, level shift, drift per second, noise burst standard deviation.")]
    public double Magnitude { get; set; } = 5;

    [Description("Repeat the schedule every this many seconds; 0 runs it once.")]
    [Range(0, 1e9)]
    public double EverySeconds { get; set; }

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (EverySeconds > 0 && EverySeconds < AtSeconds + DurationSeconds)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "everySeconds"),
                $"must be at least atSeconds + durationSeconds ({AtSeconds + DurationSeconds}), got {EverySeconds}"));
        }
    }
}
