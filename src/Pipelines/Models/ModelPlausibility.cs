namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// Bounds no sane model leaves. A threshold of 1e-300 alerts on every window, one of 1e300 never; a model whose
/// outputs are 1e8 scores every window as an anomaly. A model outside them is refused with the bound it broke,
/// instead of being deployed and flooding (or silencing) the events.
/// </summary>
public static class ModelPlausibility
{
    public const double MinThreshold = 1e-9;
    public const double MaxThreshold = 1e9;

    /// <summary>Largest magnitude of a standardisation mean; a std must lie in (MinStd, MaxMagnitude].</summary>
    public const double MaxMagnitude = 1e12;
    public const double MinStd = 1e-12;

    /// <summary>Largest magnitude of any model output on the smoke test's input (standardised features, or a preprocessed frame).</summary>
    public const double MaxOutput = 1e6;

    /// <summary>Null when a (positive) reconstruction-error threshold is plausible; otherwise why not.</summary>
    public static string? CheckThreshold(double threshold) =>
        threshold is >= MinThreshold and <= MaxThreshold
            ? null
            : $"threshold {threshold:G6} is outside the plausible range [{MinThreshold:G1}, {MaxThreshold:G1}]";

    /// <summary>
    /// Null when a score threshold of either sign (a camera model's score may be a logit) is plausible: zero, or a
    /// magnitude within [MinThreshold, MaxThreshold].
    /// </summary>
    public static string? CheckSignedThreshold(double threshold) =>
        threshold == 0 || Math.Abs(threshold) is >= MinThreshold and <= MaxThreshold
            ? null
            : $"threshold {threshold:G6} is outside the plausible range ±[{MinThreshold:G1}, {MaxThreshold:G1}]";

    /// <summary>Null when every output is finite and within ±<see cref="MaxOutput"/>; otherwise the first that is not.</summary>
    public static string? CheckOutputs(ReadOnlySpan<float> outputs)
    {
        for (var i = 0; i < outputs.Length; i++)
        {
            if (float.IsFinite(outputs[i]) && Math.Abs(outputs[i]) > MaxOutput)
            {
                return $"output {i} is {outputs[i]:G6}, outside the plausible range ±{MaxOutput:G1}";
            }
        }

        return null;
    }
}
