using EdgeAgent.Configuration;
using EdgeAgent.Health;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Camera;

public static class CameraPipelineServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="CameraPipelineService"/> per enabled camera pipeline; nothing when there is none. Needs
    /// <see cref="InferenceRuntimeProvider"/>, <see cref="IOutboundQueue"/>, <see cref="HealthMonitor"/>,
    /// <see cref="ReadinessGate"/> and logging registered. <paramref name="modelPath"/> says which model file a
    /// pipeline runs (the OTA-active version or the configured one).
    /// </summary>
    public static IServiceCollection AddCameraPipelines(this IServiceCollection services, IReadOnlyList<PipelineOptions> pipelines, string deviceId,
        string stateDirectory, Func<IServiceProvider, PipelineOptions, string> modelPath)
    {
        foreach (var options in pipelines.Where(p => p.Enabled && p.Kind == PipelineKind.Camera))
        {
            services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(provider =>
            {
                var camera = CameraPipelineFactory.CameraOf(options);
                var queue = provider.GetRequiredService<IOutboundQueue>();
                CameraPipeline pipeline;
                try
                {
                    pipeline = CameraPipelineFactory.Create(options, deviceId, provider.GetRequiredService<InferenceRuntimeProvider>().Runtime,
                        modelPath(provider, options), queue);
                }
                catch (AgentStartupException ex) when (ex.ExitCode == 65)
                {
                    // A model problem takes down this pipeline only; configuration mistakes (78) still stop the start.
                    return new FailedCameraPipelineService(options.Name, ex.Message, provider.GetRequiredService<HealthMonitor>(),
                        provider.GetRequiredService<ILogger<FailedCameraPipelineService>>());
                }

                var loggers = provider.GetRequiredService<ILoggerFactory>();
                var capture = new CameraCapture("camera " + options.Name, camera, loggers.CreateLogger("EdgeAgent.Pipelines.Camera." + options.Name));
                var heartbeat = new Heartbeat("camera " + options.Name + " loop", TimeSpan.FromSeconds(30));
                return new CameraPipelineService(capture, pipeline, CameraPipelineFactory.CreateSnapshots(options, stateDirectory), queue,
                    provider.GetRequiredService<HealthMonitor>(), provider.GetRequiredService<ReadinessGate>(), heartbeat,
                    provider.GetRequiredService<ILogger<CameraPipelineService>>());
            });
        }

        return services;
    }
}
