using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Alerts;

public sealed class AlertOptions : IValidatedOptions
{
    [Description("Score at or above which a window counts as anomalous. Empty: the model manifest's threshold.")]
    public double? RaiseThreshold { get; set; }

    [Description("Score below which a window counts as normal again while an alert is active (hysteresis). Empty: 0.8 x raiseThreshold.")]
    public double? ClearThreshold { get; set; }

    [Description("Consecutive anomalous windows needed to raise an alert (debounce).")]
    [Range(1, 10_000)]
    public int RaiseWindows { get; set; } = 2;

    [Description("Consecutive normal windows needed to clear an alert.")]
    [Range(1, 10_000)]
    public int ClearWindows { get; set; } = 3;

    [Description("After an alert ends, no new alert starts for this many seconds (of sample time).")]
    [Range(0, 31_536_000)]
    public double CooldownSeconds { get; set; } = 60;

    [Description("After an alert ends, no new alert starts for this many windows (a suppression period that does not depend on the sample rate); 0: none.")]
    [Range(0, 100_000_000)]
    public int CooldownWindows { get; set; }

    [Description("An alert still active this long after it was raised (sample time) ends, and a new one can start only after a normal window (re-arm); 0: no limit.")]
    [Range(0, 31_536_000)]
    public double MaxDurationSeconds { get; set; }

    [Description("Judge each score against the long-run distribution of this pipeline's own scores (anomaly likelihood) instead of a fixed level, so alerts end after drift. Thresholds are then in standard deviations.")]
    public AdaptiveOptions Adaptive { get; set; } = new();

    [Description("The alert gate: a would-be alert starts only if its peak score is high among this pipeline's recent would-be alerts.")]
    public AlertGateOptions Gate { get; set; } = new();

    [Description("Severity levels by peak score; the highest reached applies. Default: warning at 1x, critical at 2x the raise threshold.")]
    public List<SeverityOptions> Severities { get; set; } = [];

    [Description("Publish anomaly_update while an alert is active, at most once per this many seconds; 0: never.")]
    [Range(0, 86_400)]
    public double UpdateIntervalSeconds { get; set; } = 30;

    [Description("Publish every window's score as a 'score' event at most once per this many seconds; 0: never.")]
    [Range(0, 86_400)]
    public double ScoreIntervalSeconds { get; set; }

    public IReadOnlyList<SeverityOptions> EffectiveSeverities() => Severities.Count > 0
        ? Severities
        : [new SeverityOptions { Name = "warning", AtThresholdMultiple = 1 }, new SeverityOptions { Name = "critical", AtThresholdMultiple = 2 }];

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (RaiseThreshold is { } raise && ClearThreshold is { } clear && clear > raise)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "clearThreshold"), $"must not exceed raiseThreshold ({raise}), got {clear}"));
        }

        if (RaiseThreshold is { } r && !double.IsFinite(r))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "raiseThreshold"), "must be a finite number"));
        }
    }
}
