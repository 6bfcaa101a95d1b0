using EdgeAgent.Ota.Store;

namespace EdgeAgent.Ota;

/// <summary>Something asked for a model: a desired state (MQTT), a dropped bundle, or the CLI.</summary>
public abstract record UpdateRequest(string Origin);

public sealed record DesiredUpdate(DesiredModel Desired) : UpdateRequest(Desired.Source);

/// <param name="Pipeline">The pipeline to deploy to; null: every pipeline serving a model of the bundle's name.</param>
public sealed record BundleUpdate(string BundlePath, string? Pipeline, string Origin) : UpdateRequest(Origin);

/// <summary>The store's active.json names a model the pipeline does not run (the CLI's install or rollback).</summary>
/// <param name="Serving">What the pipeline runs now, restored as active if the named model is refused.</param>
public sealed record StoreUpdate(string Pipeline, StoredModel Model, StoredModel? Serving) : UpdateRequest("active.json");
