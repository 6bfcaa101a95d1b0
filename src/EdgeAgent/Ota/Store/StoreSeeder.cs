using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Sensors;

namespace EdgeAgent.Ota.Store;

/// <summary>
/// The bundled models seed the store: a pipeline without an active version gets a copy of its configured model
/// (model.onnx and model.json) installed and activated, so the first update has a previous version to roll back to
/// and the reported state names what serves.
/// </summary>
public static class StoreSeeder
{
    public static void Seed(ModelStore store, IEnumerable<PipelineOptions> pipelines)
    {
        foreach (var pipeline in pipelines.Where(p => p.Enabled && p.Kind is PipelineKind.Sensor or PipelineKind.Camera && p.Model.Path.Length > 0))
        {
            var model = PipelineModelLoader.Resolve(pipeline.Model.Path);
            var manifestPath = Path.Combine(Path.GetDirectoryName(model)!, ModelManifest.FileName);
            if (store.Active(pipeline.Name) is not null || !File.Exists(model) || !File.Exists(manifestPath))
            {
                continue;
            }

            var manifest = ModelManifest.Parse(File.ReadAllBytes(manifestPath));
            var staged = store.CreateStagingDirectory();
            File.Copy(model, Path.Combine(staged, BundleFiles.Model));
            File.Copy(manifestPath, Path.Combine(staged, BundleFiles.Manifest));
            store.Activate(pipeline.Name, store.Install(staged, manifest));
        }
    }
}
