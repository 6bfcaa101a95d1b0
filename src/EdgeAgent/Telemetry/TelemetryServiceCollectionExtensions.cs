using EdgeAgent.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeAgent.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Periodic reports; nothing is registered when telemetry or MQTT is disabled.</summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, AgentOptions options)
    {
        if (!options.Telemetry.Enabled || !options.Mqtt.Enabled)
        {
            return services;
        }

        services.AddHostedService<TelemetryService>();
        return services;
    }
}
