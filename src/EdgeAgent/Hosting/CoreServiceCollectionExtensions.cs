using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace EdgeAgent.Hosting;

public static class CoreServiceCollectionExtensions
{
    /// <summary>What every feature builds on: the validated options, logging, health and readiness, stop timeout.</summary>
    public static IServiceCollection AddAgentCore(this IServiceCollection services, LoadedConfig config, Serilog.ILogger logger)
    {
        var options = config.Options;
        services.AddSingleton(config);
        services.AddSingleton(options);
        services.AddSingleton(options.Logging);
        services.AddSingleton(options.Mqtt);
        services.AddSingleton(options.Outbox);
        services.AddSingleton(options.Inference);
        services.AddSingleton(options.Ota);
        services.AddSingleton(options.Telemetry);
        services.AddSingleton<HealthMonitor>();
        services.AddSingleton<HostFailures>();
        services.AddFaultInjection();
        services.AddSingleton<ReadinessGate>();
        services.AddLogging(builder => builder.ClearProviders().SetMinimumLevel(LogLevel.Trace)
            .AddProvider(new SerilogLoggerProvider(logger, dispose: false)));
        services.Configure<HostOptions>(host =>
        {
            host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds);
            // A failing loop stops the host so systemd restarts the agent, rather than leaving it half alive.
            host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        return services;
    }
}
