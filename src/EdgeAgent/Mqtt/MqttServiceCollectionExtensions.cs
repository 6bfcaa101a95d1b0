using EdgeAgent.Configuration;
using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Mqtt;

public static class MqttServiceCollectionExtensions
{
    /// <summary>
    /// The broker link. With <c>mqtt.enabled=false</c> nothing is registered: the outbox keeps every message until a
    /// later start with MQTT enabled sends them. Not a readiness component: an offline device still becomes ready.
    /// </summary>
    public static IServiceCollection AddMqtt(this IServiceCollection services, AgentOptions options)
    {
        if (!options.Mqtt.Enabled)
        {
            return services;
        }

        services.AddSingleton(provider =>
        {
            var link = new MqttLink(options.Mqtt.Host, options.Mqtt.Port, options.Mqtt.EffectiveBaseTopic(options.DeviceId),
                provider.GetRequiredService<DurableOutbox>(), provider.GetRequiredService<ILogger<MqttLink>>());
            provider.GetRequiredService<HealthMonitor>().Register(link);
            return link;
        });
        services.AddSingleton<IMessageSubscriptions>(provider => provider.GetRequiredService<MqttLink>());
        services.AddSingleton<HomeAssistantDiscovery>();
        services.AddHostedService<MqttConnectionService>();
        services.AddHostedService<MqttInboundService>();
        return services;
    }
}
