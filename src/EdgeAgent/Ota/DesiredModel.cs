namespace EdgeAgent.Ota;

/// <summary>What one pipeline should run, as published on a desired-state topic.</summary>
public sealed record DesiredModel(string Pipeline, string Name, string Version, Uri Url, string Sha256, long Size, string? Signature, string Source);
