namespace EdgeAgent.Pipelines.Sensors;

/// <summary>A pipeline's model, ready to run, with the threshold from its manifest (null: alert.raiseThreshold must be set).</summary>
public sealed record ModelBinding(IWindowModel Model, double? Threshold);
