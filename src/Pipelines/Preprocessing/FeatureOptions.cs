using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Preprocessing;

public enum FeatureKind
{
    Raw,
    Statistics,
    FftBands,
    Standardize,
}

public enum Statistic
{
    Mean,
    Std,
    Min,
    Max,
    Rms,
    PeakToPeak,
    Kurtosis,
    Slope,
    Last,
}

public sealed class FeatureOptions : IValidatedOptions
{
    [Description("raw (the samples), statistics (per channel), fftBands (magnitude bands per channel), standardize ((x - mean) / std over all earlier features).")]
    public FeatureKind Kind { get; set; } = FeatureKind.Statistics;

    [Description("Channels this step reads, by name. Default: all.")]
    public List<string> Channels { get; set; } = [];

    [Description("statistics: which ones (mean, std, min, max, rms, peakToPeak, kurtosis, slope, last). Default: mean, std, min, max, rms, peakToPeak, kurtosis.")]
    public List<Statistic> Statistics { get; set; } = [];

    [Description("fftBands: number of equal-width magnitude bands between DC (excluded) and Nyquist.")]
    [Range(1, 4096)]
    public int Bands { get; set; } = 8;

    [Description("standardize: mean per feature. Default: the model manifest's.")]
    public List<double> Mean { get; set; } = [];

    [Description("standardize: standard deviation per feature. Default: the model manifest's.")]
    public List<double> Std { get; set; } = [];

    public IReadOnlyList<Statistic> EffectiveStatistics() => Statistics.Count > 0
        ? Statistics
        : [Statistic.Mean, Statistic.Std, Statistic.Min, Statistic.Max, Statistic.Rms, Statistic.PeakToPeak, Statistic.Kurtosis];

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (Mean.Count != Std.Count)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "std"), $"must have as many values as mean ({Mean.Count}), got {Std.Count}"));
        }

        for (var i = 0; i < Std.Count; i++)
        {
            if (!(Std[i] > 0) || double.IsInfinity(Std[i]))
            {
                errors.Add(new ConfigError(ConfigPath.Index(ConfigPath.Child(path, "std"), i), $"must be a positive number, got {Std[i]}"));
            }
        }
    }
}
