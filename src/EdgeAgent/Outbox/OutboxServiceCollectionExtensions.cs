using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Outbox;

public static class OutboxServiceCollectionExtensions
{
    public const string FileName = "outbox.db";

    /// <summary>The durable outbox is always on: with MQTT disabled it still accepts and keeps every message.</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services, AgentOptions options)
    {
        services.AddSingleton(provider =>
        {
            var outbox = new DurableOutbox(options.Outbox, PathIn(options), provider.GetRequiredService<ILogger<DurableOutbox>>());
            provider.GetRequiredService<HealthMonitor>().Register(outbox);
            return outbox;
        });
        services.AddSingleton<IOutboundQueue>(provider => provider.GetRequiredService<DurableOutbox>());
        services.AddHostedService<OutboxService>();
        return services;
    }

    public static string PathIn(AgentOptions options) => System.IO.Path.Combine(options.StateDirectory, FileName);
}
