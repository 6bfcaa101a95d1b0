using EdgeAgent.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeAgent.Status;

public static class StatusServiceCollectionExtensions
{
    /// <summary>The unix socket <c>edgeagent status</c> asks; always on (it costs a sleeping accept until someone asks).</summary>
    public static IServiceCollection AddStatusSocket(this IServiceCollection services, AgentOptions options)
    {
        services.AddSingleton(provider => new StatusReport(options, provider));
        services.AddHostedService<StatusSocketService>();
        return services;
    }
}
