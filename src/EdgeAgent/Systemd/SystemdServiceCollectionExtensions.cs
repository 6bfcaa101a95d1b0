using Microsoft.Extensions.DependencyInjection;

namespace EdgeAgent.Systemd;

public static class SystemdServiceCollectionExtensions
{
    /// <summary>
    /// Registers the sd_notify life cycle. Outside systemd the service still runs the health loop for STATUS-less
    /// operation but sends nothing.
    /// </summary>
    public static IServiceCollection AddSystemd(this IServiceCollection services, IReadOnlyDictionary<string, string> environment)
    {
        var settings = WatchdogSettings.FromEnvironment(environment);

        // sd_notify's unset_environment: children (ffmpeg) must not inherit the socket and talk to systemd as us.
        Environment.SetEnvironmentVariable(SystemdNotifier.SocketVariable, null);
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", null);
        Environment.SetEnvironmentVariable("WATCHDOG_PID", null);

        services.AddSingleton(settings);
        services.AddSingleton(_ => new SystemdNotifier(settings.NotifySocket));
        services.AddHostedService<SystemdLifecycleService>();
        return services;
    }
}
