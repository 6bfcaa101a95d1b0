using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Alerts;

/// <summary>The adaptive layer between any model's raw score and the alert (see <see cref="ScoreLikelihood"/>).</summary>
public sealed class AdaptiveOptions : IValidatedOptions
{
    /// <summary>Used as alert.raiseThreshold when the adaptive layer is on and none is configured (a model's manifest threshold is on the raw scale, so it does not apply).</summary>
    public const double DefaultRaiseThreshold = 4.0;

    [Description("Judge scores against their own history (off: the raw score is compared with raiseThreshold, as before).")]
    public bool Enabled { get; set; }

    [Description("Recent windows whose scores are averaged before being judged (one noisy window is not an anomaly).")]
    [Range(1, 10_000)]
    public int RecentWindows { get; set; } = 10;

    [Description("Windows over which the long-run distribution of scores is learned (reciprocal of the forgetting rate); drift older than this is forgotten.")]
    [Range(10, 100_000_000)]
    public int HistoryWindows { get; set; } = 8640;

    [Description("Windows scored before any is judged (no alert while the distribution is unknown).")]
    [Range(2, 100_000_000)]
    public int WarmupWindows { get; set; } = 300;

    [Description("Judge the logarithm of the score (for positive, heavy-tailed scores such as reconstruction errors).")]
    public bool Logarithm { get; set; } = true;

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (Enabled && WarmupWindows < RecentWindows)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "warmupWindows"), $"must be at least recentWindows ({RecentWindows}), got {WarmupWindows}"));
        }
    }
}
