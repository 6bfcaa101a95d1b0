using EdgeAgent.Configuration;
using EdgeAgent.Hosting;
using EdgeAgent.Mqtt;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

public static class OtaServiceCollectionExtensions
{
    /// <summary>
    /// Model updates for the sensor and camera pipelines: the update coordinator and the pipeline-side deployments, desired
    /// state over MQTT (when the link is enabled), the drop folder (when <c>ota.inbox</c> is set), the reported state,
    /// and the watch on the store's active.json (the CLI's install/rollback). Nothing without a sensor or camera pipeline.
    /// Call after AddPipelines (the model store) and AddInference.
    /// </summary>
    public static IServiceCollection AddOta(this IServiceCollection services, AgentOptions options)
    {
        var ota = options.Ota;
        var sensors = options.Pipelines.Any(p => p.Enabled && p.Kind == PipelineKind.Sensor);
        var cameras = options.Pipelines.Any(p => p.Enabled && p.Kind == PipelineKind.Camera);
        if (!sensors && !cameras)
        {
            return services;
        }

        services.AddSingleton<OtaStatusBoard>();
        services.AddSingleton(provider => CandidateValidator.OfThisProcess() is { } self
            ? new CandidateValidator(ota, self.Executable, self.ConfigArguments, provider.GetRequiredService<ILogger<CandidateValidator>>())
            : new CandidateValidator(ota, null, [], provider.GetRequiredService<ILogger<CandidateValidator>>()));
        services.AddSingleton<IModelDeployment>(provider => new ModelDeployment(
            options.Pipelines,
            provider.GetRequiredService<PipelineRegistry>().Slot,
            () => provider.GetRequiredService<InferenceRuntimeProvider>().Runtime,
            provider.GetRequiredService<ModelStore>(),
            ota,
            provider.GetRequiredService<ILogger<ModelDeployment>>(),
            provider.GetRequiredService<CandidateValidator>()));
        services.AddSingleton(provider =>
        {
            var store = provider.GetRequiredService<ModelStore>();
            StoreSeeder.Seed(store, options.Pipelines);
            var downloadTimeout = TimeSpan.FromMinutes(10);
            var coordinator = new UpdateCoordinator(
                store,
                new BundleInstaller(store, ota),
                new ArtifactDownloader(new HttpClient(), ota.MaxArtifactMegabytes * 1024L * 1024L, downloadTimeout),
                provider.GetRequiredService<IModelDeployment>(),
                provider.GetRequiredService<OtaStatusBoard>(),
                TimeProvider.System,
                provider.GetRequiredService<ILogger<UpdateCoordinator>>(),
                provider.GetRequiredService<CrashBreaker>())
            {
                StuckAfter = UpdateCoordinator.StuckBound(ota, downloadTimeout, TimeSpan.FromSeconds(ota.ValidationTimeoutSeconds)),
            };
            provider.GetRequiredService<HealthMonitor>().Register(coordinator);
            return coordinator;
        });
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<UpdateCoordinator>());
        services.AddSingleton<IHostedService>(provider => new ActiveStateWatcher(
            provider.GetRequiredService<ModelStore>(),
            provider.GetRequiredService<UpdateCoordinator>(),
            provider.GetRequiredService<IModelDeployment>(),
            provider.GetRequiredService<ILogger<ActiveStateWatcher>>()));
        services.AddSingleton<IHostedService>(provider => new ReportedStatePublisher(
            provider.GetRequiredService<OtaStatusBoard>(),
            provider.GetRequiredService<IOutboundQueue>(),
            provider.GetService<MqttLink>() is { } link ? () => link.ConnectionGeneration : () => 0,
            options.DeviceId,
            TimeProvider.System));
        if (options.Mqtt.Enabled)
        {
            services.AddSingleton<IHostedService>(provider => new DesiredStateListener(
                options.Mqtt.EffectiveBaseTopic(options.DeviceId),
                ota.Groups,
                provider.GetRequiredService<IMessageSubscriptions>(),
                provider.GetRequiredService<UpdateCoordinator>(),
                provider.GetRequiredService<IModelDeployment>(),
                provider.GetRequiredService<OtaStatusBoard>(),
                TimeProvider.System,
                provider.GetRequiredService<ILogger<DesiredStateListener>>()));
        }

        if (ota.Inbox.Length > 0)
        {
            services.AddSingleton<IHostedService>(provider => new InboxWatcher(ota, provider.GetRequiredService<UpdateCoordinator>(),
                provider.GetRequiredService<ILogger<InboxWatcher>>()));
        }

        return services;
    }
}
