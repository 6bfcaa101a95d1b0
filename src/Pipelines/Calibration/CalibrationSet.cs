namespace EdgeAgent.Pipelines.Calibration;

/// <summary>Feature rows of the windows calibration learns from, and where the "normal" part of the input ended.</summary>
public sealed record CalibrationSet(IReadOnlyList<float[]> Rows, IReadOnlyList<string> FeatureNames, long CutoffTicks, int Samples);
