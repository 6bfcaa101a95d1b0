using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Sensors;

namespace EdgeAgent.Ota.Store;

/// <summary>
/// The one answer to "which model file, and which manifest, does pipeline X use?": the version the store marks
/// active for it (an OTA update, the CLI's install/rollback), else the model its configuration names.
/// </summary>
public static class ModelResolver
{
    /// <summary>
    /// The model file a pipeline loads at start (null when none is configured or deployed: the built-in detector serves).
    /// A null <paramref name="store"/> (none on this device, or none this reader can reach) leaves the configured model.
    /// </summary>
    /// <exception cref="ModelUnusableException">The file named does not exist.</exception>
    public static string? ModelPath(ModelStore? store, PipelineOptions pipeline)
    {
        var active = store?.Active(pipeline.Name);
        var path = active is not null && store!.Find(active.Name, active.Version) is { } stored
            ? stored.ModelPath
            : pipeline.Model.Path.Length > 0 ? PipelineModelLoader.Resolve(pipeline.Model.Path) : null;
        return path is null || File.Exists(path) ? path : throw new ModelUnusableException($"pipeline '{pipeline.Name}': model file '{path}' does not exist");
    }

    /// <summary>What a pipeline serves at start: the store's active version's manifest, else the configured model's; null when neither names one.</summary>
    public static ServingManifest? ServingAtStart(ModelStore store, PipelineOptions pipeline)
    {
        if (store.Active(pipeline.Name) is { } active && store.Find(active.Name, active.Version) is { } stored)
        {
            return ServingManifest.Read(pipeline.Kind, stored.ManifestPath) ?? new ServingManifest(active.Name, active.Version, null);
        }

        return pipeline.Model.Path.Length > 0 ? ServingManifest.Read(pipeline.Kind, ServingManifest.PathBeside(PipelineModelLoader.Resolve(pipeline.Model.Path))) : null;
    }
}
