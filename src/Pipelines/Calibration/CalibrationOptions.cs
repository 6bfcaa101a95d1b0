namespace EdgeAgent.Pipelines.Calibration;

/// <summary>How calibration turns normal windows into a baseline.</summary>
public sealed record CalibrationOptions
{
    /// <summary>Keep the fewest components that explain at least this share of the variance (always leaving at least one out).</summary>
    public double VarianceToKeep { get; init; } = 0.95;

    /// <summary>The threshold is this quantile of the normal windows' scores...</summary>
    public double Quantile { get; init; } = 0.995;

    /// <summary>...times this margin.</summary>
    public double Margin { get; init; } = 1.5;

    /// <summary>The normal coefficient range is widened by this share of its width on each side.</summary>
    public double CoefficientSlack { get; init; } = 0.1;

    /// <summary>"Normal" data often is not: after a first fit, this share of the worst-scoring windows is left out
    /// and the baseline fitted again on the rest (a simple trimmed, robust fit).</summary>
    public double TrimFraction { get; init; }
}
