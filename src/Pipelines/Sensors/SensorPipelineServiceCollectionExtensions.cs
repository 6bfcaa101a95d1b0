using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Preprocessing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Sensors;

public static class SensorPipelineServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="SensorPipelineService"/> per enabled sensor pipeline; nothing when there is none. Needs
    /// <see cref="IOutboundQueue"/>, <see cref="HealthMonitor"/>, <see cref="ReadinessGate"/> and logging registered;
    /// <see cref="IMessageSubscriptions"/> only for mqtt sources. <paramref name="models"/> loads the model of a
    /// pipeline given its feature pipeline (so that it can check the input length and set standardisation).
    /// </summary>
    public static IServiceCollection AddSensorPipelines(this IServiceCollection services, IReadOnlyList<PipelineOptions> pipelines, string deviceId,
        Func<IServiceProvider, PipelineOptions, FeaturePipeline, ModelBinding> models)
    {
        foreach (var options in pipelines.Where(p => p.Enabled && p.Kind == PipelineKind.Sensor))
        {
            services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(provider =>
            {
                var heartbeat = new Heartbeat("pipeline " + options.Name + " loop", TimeSpan.FromSeconds(30));
                var alerts = new AlertLog(options.Name, provider.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeAgent.Alerts"));
                SensorPipelineRunner Build()
                {
                    var features = SensorPipelineFactory.CreateFeatures(options);
                    var binding = models(provider, options, features);
                    try
                    {
                        var pipeline = SensorPipelineFactory.Create(options, deviceId, binding.Model, binding.Threshold, provider.GetRequiredService<IOutboundQueue>(), features, alerts);
                        var sources = SensorPipelineFactory.CreateSources(options, provider.GetRequiredService<ILoggerFactory>(), provider.GetService<IMessageSubscriptions>());
                        return new SensorPipelineRunner(options.Name, sources, pipeline, heartbeat);
                    }
                    catch
                    {
                        // A failed build is retried: the session must not outlive it.
                        (binding.Model as IDisposable)?.Dispose();
                        throw;
                    }
                }

                return new SensorPipelineService(options.Name, Build, provider.GetRequiredService<HealthMonitor>(), provider.GetRequiredService<ReadinessGate>(), heartbeat,
                    provider.GetRequiredService<ILogger<SensorPipelineService>>());
            });
        }

        return services;
    }
}
