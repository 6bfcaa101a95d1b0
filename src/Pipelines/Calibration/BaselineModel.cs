namespace EdgeAgent.Pipelines.Calibration;

/// <summary>
/// What calibration learns from normal data, as plain arrays so that it can be written as an ONNX graph:
/// <c>z = (x - Mean) / Std</c> (the pipeline's standardize step), <c>c = clamp(z · Componentsᵀ, CoefficientMin,
/// CoefficientMax)</c>, <c>reconstruction = c · Components</c>; the score is the mean squared error between z and the
/// reconstruction (the reconstruction scorer). Clamping the coefficients to the range seen in normal data makes
/// departures along the principal directions (a level shift) count as error too, not only departures across them.
/// </summary>
public sealed record BaselineModel(
    int Features,
    double[] Mean,
    double[] Std,
    int ComponentCount,
    double[] Components,
    double[] CoefficientMin,
    double[] CoefficientMax,
    double[] ExplainedVariance,
    double Threshold,
    int TrainingWindows)
{
    /// <summary>Share of the standardised variance the kept components explain.</summary>
    public double ExplainedShare => ExplainedVariance.Take(ComponentCount).Sum() / Math.Max(ExplainedVariance.Sum(), 1e-300);
}
