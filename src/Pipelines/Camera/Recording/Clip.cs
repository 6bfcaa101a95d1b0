namespace EdgeAgent.Pipelines.Camera.Recording;

/// <summary>A written event clip and the wall-clock span (UTC) its segments cover.</summary>
public sealed record Clip(string Path, string Name, DateTime Start, DateTime End, long Bytes);
