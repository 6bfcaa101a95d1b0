using EdgeAgent.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeAgent.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>The Prometheus endpoint; nothing is registered (no listener, no collector) unless <c>metrics.enabled</c>.</summary>
    public static IServiceCollection AddMetrics(this IServiceCollection services, AgentOptions options)
    {
        if (!options.Metrics.Enabled)
        {
            return services;
        }

        services.AddSingleton<AgentMetrics>();
        services.AddHostedService<MetricsService>();
        return services;
    }
}
