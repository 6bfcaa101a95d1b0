using EdgeAgent.Configuration;
using EdgeAgent.Ota;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Novelty;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Hosting;

public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// The data pipelines and the model store they load from. A pipeline runs the model version the store marks
    /// active for it (an OTA update), else the model its configuration names (the bundled one).
    /// </summary>
    public static IServiceCollection AddPipelines(this IServiceCollection services, AgentOptions options)
    {
        services.AddSingleton(_ => new ModelStore(options.StateDirectory));
        services.AddSingleton(provider => new CrashBreaker(provider.GetRequiredService<ModelStore>()));
        services.AddSingleton(provider => new PipelineRegistry(provider));
        services.AddSensorPipelines(options.Pipelines, options.DeviceId, BindModel);
        services.AddCameraPipelines(options.Pipelines, options.DeviceId, options.StateDirectory, LoadCamera);
        // Sensors first, then cameras: the order of the report's pipelines (a stable sort keeps the configured order within each kind).
        foreach (var pipeline in options.Pipelines.Where(p => p.Enabled).OrderBy(p => p.Kind))
        {
            services.AddSingleton<ITelemetryContributor>(provider => new PipelineTelemetry(pipeline.Name, pipeline.Kind,
                provider.GetRequiredService<PipelineRegistry>()));
        }

        return services;
    }

    /// <summary>A sensor pipeline's model; with none configured or deployed, the built-in detector scores the features themselves.</summary>
    private static ModelBinding BindModel(IServiceProvider provider, PipelineOptions pipeline, FeaturePipeline features) =>
        LoadModel(provider, pipeline, path => PipelineModelLoader.Load(provider.GetRequiredService<InferenceRuntimeProvider>().Runtime, pipeline, features, path))
        ?? DetectorBinding.Create(pipeline, features);

    /// <summary>A camera pipeline has no built-in detector: it needs a model.</summary>
    private static CameraPipeline LoadCamera(IServiceProvider provider, PipelineOptions pipeline, Func<string, CameraPipeline> load) =>
        LoadModel(provider, pipeline, load) ?? throw new AgentStartupException(
            $"pipeline '{pipeline.Name}' has no model: set pipelines.model.path, or calibrate one with 'edgeagent calibrate-camera'", 78);

    /// <summary>
    /// Loads a pipeline's model with <paramref name="load"/> from the file <see cref="ModelResolver"/> names (the
    /// store's active version, else the configured file); null when neither names one.
    /// </summary>
    private static T? LoadModel<T>(IServiceProvider provider, PipelineOptions pipeline, Func<string, T> load)
        where T : class
    {
        // The breaker first: a version whose deployment killed the last run is taken out of active.json before it loads.
        provider.GetRequiredService<CrashBreaker>();
        if (ModelResolver.ModelPath(provider.GetRequiredService<ModelStore>(), pipeline) is not { } path)
        {
            return null;
        }

        try
        {
            return load(path);
        }
        catch (ModelUnusableException ex) when (pipeline.Model.Path.Length > 0
            && PipelineModelLoader.Resolve(pipeline.Model.Path) is var configured && configured != path && File.Exists(configured))
        {
            // A damaged store (a bad sector, a hand-edited version) must not leave the pipeline without a model
            // while the model it was configured with is still there.
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeAgent.Pipelines").LogError(
                "Pipeline {Pipeline}: the store's active model cannot be used ({Reason}); serving the configured model {Path} instead", pipeline.Name, ex.Message, configured);
            return load(configured);
        }
    }
}
