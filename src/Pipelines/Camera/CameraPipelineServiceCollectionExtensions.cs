using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Camera;

public static class CameraPipelineServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="CameraPipelineService"/> per enabled camera pipeline; nothing when there is none. Needs
    /// <see cref="InferenceRuntimeProvider"/>, <see cref="IOutboundQueue"/>, <see cref="HealthMonitor"/>,
    /// <see cref="ReadinessGate"/> and logging registered. <paramref name="load"/> builds a pipeline given the function
    /// that builds it from a model file: the host picks which file (the OTA-active version or the configured one). It is
    /// called again at each attempt to rebuild a pipeline whose model could not be used.
    /// </summary>
    public static IServiceCollection AddCameraPipelines(this IServiceCollection services, IReadOnlyList<PipelineOptions> pipelines, string deviceId,
        string stateDirectory, Func<IServiceProvider, PipelineOptions, Func<string, CameraPipeline>, CameraPipeline> load)
    {
        foreach (var options in pipelines.Where(p => p.Enabled && p.Kind == PipelineKind.Camera))
        {
            services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(provider =>
            {
                var camera = CameraPipelineFactory.CameraOf(options);
                var queue = provider.GetRequiredService<IOutboundQueue>();
                var alerts = new AlertLog(options.Name, provider.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeAgent.Alerts"));
                CameraPipeline Build() => load(provider, options,
                    path => CameraPipelineFactory.Create(options, deviceId, provider.GetRequiredService<InferenceRuntimeProvider>().Runtime, path, queue, alerts));

                var loggers = provider.GetRequiredService<ILoggerFactory>();
                var ring = CameraPipelineFactory.CreateRing(options, stateDirectory);
                var capture = new CameraCapture("camera " + options.Name, camera, loggers.CreateLogger("EdgeAgent.Pipelines.Camera." + options.Name), ring);
                var heartbeat = new Heartbeat("camera " + options.Name + " loop", TimeSpan.FromSeconds(30));
                return new CameraPipelineService(options.Name, capture, Build, CameraPipelineFactory.CreateSnapshots(options, stateDirectory, deviceId, queue), queue,
                    provider.GetRequiredService<HealthMonitor>(), provider.GetRequiredService<ReadinessGate>(), heartbeat,
                    provider.GetRequiredService<ILogger<CameraPipelineService>>(),
                    recording: CameraPipelineFactory.CreateRecording(options, ring, stateDirectory, deviceId, queue));
            });
        }

        return services;
    }
}
