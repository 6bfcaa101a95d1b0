using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeAgent.Hosting;

/// <summary>
/// A fault on demand, for the tests that check what systemd sees when a loop fails: with
/// <c>EDGEAGENT_INJECT_FAULT=background</c> a background loop throws two seconds after start, with
/// <c>=thread</c> a plain thread throws an unhandled exception. Unset (always, in production) it registers nothing.
/// The real faults it stands in for are fixed where they happen; this keeps the host's last line of defence tested.
/// </summary>
internal static class FaultInjection
{
    public const string Variable = "EDGEAGENT_INJECT_FAULT";

    public static IServiceCollection AddFaultInjection(this IServiceCollection services)
    {
        switch (Environment.GetEnvironmentVariable(Variable))
        {
            case "background":
                services.AddHostedService<FaultingLoop>();
                break;
            case "thread":
                var thread = new Thread(() =>
                {
                    Thread.Sleep(2000);
                    throw new InvalidOperationException($"fault injected by {Variable}=thread");
                }) { IsBackground = true, Name = "injected-fault" };
                thread.Start();
                break;
        }

        return services;
    }

    private sealed class FaultingLoop : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(2000, stoppingToken).ConfigureAwait(false);
            throw new InvalidOperationException($"fault injected by {Variable}=background");
        }
    }
}
