namespace EdgeAgent.Pipelines.Camera;

/// <summary>A JPEG written to disk; <see cref="Jpeg"/> holds the same bytes for publishing (retained) over MQTT.</summary>
public sealed record Snapshot(string Path, byte[] Jpeg);
