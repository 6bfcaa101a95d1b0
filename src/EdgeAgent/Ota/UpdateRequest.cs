namespace EdgeAgent.Ota;

/// <summary>Something asked for a model: a desired state (MQTT), a dropped bundle, or the CLI.</summary>
public abstract record UpdateRequest(string Origin);

public sealed record DesiredUpdate(DesiredModel Desired) : UpdateRequest(Desired.Source);

/// <param name="Pipeline">The pipeline to deploy to; null: every pipeline serving a model of the bundle's name.</param>
public sealed record BundleUpdate(string BundlePath, string? Pipeline, string Origin) : UpdateRequest(Origin);
